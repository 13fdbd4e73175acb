import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { ProductForm } from '~/features/menu/components/product-form';
import { AcceptIikoButton, OverrideBadges } from '~/features/menu/components/product-list';
import { OPTION_INTENTS, ProductOptions } from '~/features/menu/components/product-options';
import {
  actorOf,
  badIntent,
  failure,
  invalid,
  readFormWithImage,
  reply,
  requireIdParam,
  storeImage,
  takeImageFile,
  tooLarge,
  notFound,
} from '~/features/menu/menu-action.server';
import {
  getProduct,
  listCategories,
  listOptionGroups,
  listProductOptions,
} from '~/features/menu/menu.server';
import {
  attachOptionGroupSchema,
  detachOptionGroupSchema,
  productOptionItemSchema,
  productSchema,
} from '~/features/menu/menu.schema';
import {
  acceptIikoValues,
  attachOptionGroup,
  detachOptionGroup,
  setProductOptionItem,
  updateProduct,
} from '~/features/menu/menu.service.server';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub, toDecimal } from '~/utils/money';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'menu.products.edit');

const INTENT_UPDATE = 'update';
const INTENT_ACCEPT_IIKO = 'accept-iiko';

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const id = requireIdParam(params.productId);
  const product = await getProduct(context.db, id);
  if (!product) throw notFound();
  const [categories, attached, groups] = await Promise.all([
    listCategories(context.db),
    listProductOptions(context.db, id),
    listOptionGroups(context.db),
  ]);
  return json({ product, categories, attached, groups });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const id = requireIdParam(params.productId);
  const formData = await readFormWithImage(request);
  if (formData === 'too-large') return tooLarge(INTENT_UPDATE);
  requireCsrf(request, formData, user);
  const actor = actorOf(user, context);
  const intent = String(formData.get('intent') ?? '');
  const self = `/admin/menu/products/${id}`;

  switch (intent) {
    case INTENT_UPDATE: {
      const file = takeImageFile(formData);
      const submission = parseWithZod(formData, { schema: productSchema });
      if (submission.status !== 'success') return invalid(intent, submission);
      const input = { ...submission.value };
      if (file) {
        const stored = await storeImage(file);
        if ('error' in stored)
          return reply(
            intent,
            submission.reply({ fieldErrors: { image_url: [stored.error] } }),
            400,
          );
        input.image_url = stored.url;
      }
      try {
        await updateProduct(context.db, actor, id, input);
      } catch (err) {
        return failure(intent, submission, err);
      }
      return redirect(self);
    }
    case INTENT_ACCEPT_IIKO: {
      try {
        await acceptIikoValues(context.db, actor, id);
      } catch (err) {
        return failure(intent, { reply: () => ({}) }, err);
      }
      return redirect(self);
    }
    case OPTION_INTENTS.attach: {
      const submission = parseWithZod(formData, { schema: attachOptionGroupSchema });
      if (submission.status !== 'success') return invalid(intent, submission);
      try {
        await attachOptionGroup(context.db, actor, id, submission.value);
      } catch (err) {
        return failure(intent, submission, err);
      }
      return redirect(self);
    }
    case OPTION_INTENTS.detach: {
      const submission = parseWithZod(formData, { schema: detachOptionGroupSchema });
      if (submission.status !== 'success') return invalid(intent, submission);
      try {
        await detachOptionGroup(context.db, actor, id, submission.value.group_id);
      } catch (err) {
        return failure(intent, submission, err);
      }
      return redirect(self);
    }
    case OPTION_INTENTS.item: {
      const submission = parseWithZod(formData, { schema: productOptionItemSchema });
      if (submission.status !== 'success') return invalid(intent, submission);
      try {
        await setProductOptionItem(context.db, actor, id, submission.value);
      } catch (err) {
        return failure(intent, submission, err);
      }
      return redirect(self);
    }
    default:
      throw badIntent();
  }
}

export default function AdminMenuProductRoute() {
  const { product, categories, attached, groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  return (
    <div className="space-y-6">
      <PageHeader
        title={pickLocalized(lang, product, 'name')}
        description={product.sku}
        eyebrow={
          <div className="flex gap-1.5">
            <OverrideBadges row={product} />
          </div>
        }
        actions={
          <ButtonLink to="/admin/menu" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      {product.is_manual_override ? (
        <Alert tone={product.has_conflict ? 'warning' : 'info'} title={t('menu.override.title')}>
          <p>{t('menu.override.explain')}</p>
          {product.iiko_price !== null || product.iiko_name !== null ? (
            <p className="mt-1">
              {t('menu.override.iikoValues', {
                name: product.iiko_name ?? '—',
                price: product.iiko_price === null ? '—' : formatRub(product.iiko_price, lang),
              })}
            </p>
          ) : null}
          <div className="mt-2">
            <AcceptIikoButton productId={product.id} intent={INTENT_ACCEPT_IIKO} />
          </div>
        </Alert>
      ) : null}
      <ProductForm
        key={`${product.id}:${product.base_price}:${product.name_ru}`}
        intent={INTENT_UPDATE}
        lastResult={actionData?.intent === INTENT_UPDATE ? actionData.result : undefined}
        categories={categories}
        defaultValue={{
          sku: product.sku,
          name_ru: product.name_ru,
          name_zh: product.name_zh ?? '',
          name_en: product.name_en ?? '',
          description_ru: product.description_ru ?? '',
          description_zh: product.description_zh ?? '',
          description_en: product.description_en ?? '',
          base_price: toDecimal(product.base_price),
          category_id: product.category_id ? String(product.category_id) : '',
          image_url: product.image_url ?? '',
          is_special_price: product.is_special_price,
          sort_order: String(product.sort_order),
          is_active: product.is_active,
        }}
      />
      <ProductOptions attached={attached} groups={groups} actionData={actionData} />
    </div>
  );
}
