import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { requireCsrf } from '~/auth/csrf.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { ProductList } from '~/features/menu/components/product-list';
import { actorOf, badIntent, failure, invalid } from '~/features/menu/menu-action.server';
import { listCategories, listProducts } from '~/features/menu/menu.server';
import { acceptIikoSchema, PRODUCT_LIST } from '~/features/menu/menu.schema';
import { acceptIikoValues } from '~/features/menu/menu.service.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'menu.products.title');

const INTENT_ACCEPT_IIKO = 'accept-iiko';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = PRODUCT_LIST.parse(request);
  let page = await listProducts(context.db, params);
  const shown = clampPage(params.page, page.total, params.pageSize);
  if (shown !== params.page) page = await listProducts(context.db, { ...params, page: shown });
  const categories = await listCategories(context.db);
  return json({ params: { ...params, page: shown }, ...page, categories });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const intent = String(formData.get('intent') ?? '');
  if (intent !== INTENT_ACCEPT_IIKO) throw badIntent();
  const submission = parseWithZod(formData, { schema: acceptIikoSchema });
  if (submission.status !== 'success') return invalid(intent, submission);
  try {
    await acceptIikoValues(context.db, actorOf(user, context), submission.value.product_id);
  } catch (err) {
    return failure(intent, submission, err);
  }
  const back = new URL(request.url);
  return redirect(`${back.pathname}${back.search}`);
}

export default function AdminMenuProductsRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('menu.products.title')}
        description={t('menu.products.description')}
        actions={
          <ButtonLink to="/admin/menu/products/new" variant="primary">
            {t('menu.products.new')}
          </ButtonLink>
        }
      />
      <ProductList {...data} acceptIntent={INTENT_ACCEPT_IIKO} />
    </>
  );
}
