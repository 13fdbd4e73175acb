import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { EMPTY_PRODUCT, ProductForm } from '~/features/menu/components/product-form';
import {
  actorOf,
  badIntent,
  failure,
  invalid,
  readFormWithImage,
  reply,
  storeImage,
  takeImageFile,
  tooLarge,
} from '~/features/menu/menu-action.server';
import { listCategories } from '~/features/menu/menu.server';
import { productSchema } from '~/features/menu/menu.schema';
import { createProduct } from '~/features/menu/menu.service.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'menu.products.new');

const INTENT_CREATE = 'create';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return json({ categories: await listCategories(context.db) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await readFormWithImage(request);
  if (formData === 'too-large') return tooLarge(INTENT_CREATE);
  requireCsrf(request, formData, user);
  if (formData.get('intent') !== INTENT_CREATE) throw badIntent();
  const file = takeImageFile(formData);
  const submission = parseWithZod(formData, { schema: productSchema });
  if (submission.status !== 'success') return invalid(INTENT_CREATE, submission);
  const input = { ...submission.value };
  if (file) {
    const stored = await storeImage(file);
    if ('error' in stored)
      return reply(
        INTENT_CREATE,
        submission.reply({ fieldErrors: { image_url: [stored.error] } }),
        400,
      );
    input.image_url = stored.url;
  }
  try {
    const id = await createProduct(context.db, actorOf(user, context), input);
    return redirect(`/admin/menu/products/${id}`);
  } catch (err) {
    return failure(INTENT_CREATE, submission, err);
  }
}

export default function AdminMenuProductNewRoute() {
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('menu.products.new')}
        actions={
          <ButtonLink to="/admin/menu" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      <ProductForm
        intent={INTENT_CREATE}
        defaultValue={EMPTY_PRODUCT}
        lastResult={actionData?.intent === INTENT_CREATE ? actionData.result : undefined}
        categories={categories}
      />
    </>
  );
}
