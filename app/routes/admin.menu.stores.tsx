import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { FilterSelect, ListFilters, Pagination } from '~/components/data-table';
import { PageHeader } from '~/components/ui/page-header';
import { BulkActions, GRID_INTENTS, StoreGrid } from '~/features/menu/components/store-grid';
import { actorOf, badIntent, failure, invalid, reply } from '~/features/menu/menu-action.server';
import {
  listCategories,
  listProductChoices,
  listProducts,
  listStoreColumns,
  listStoreProductCells,
} from '~/features/menu/menu.server';
import {
  bulkEnableSchema,
  copyStoreMenuSchema,
  PRODUCT_LIST,
  storeProductSchema,
} from '~/features/menu/menu.schema';
import {
  copyStoreMenu,
  enableProductInAllStores,
  updateStoreProduct,
} from '~/features/menu/menu.service.server';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'menu.grid.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = { ...PRODUCT_LIST.parse(request), pageSize: 20 };
  const page = await listProducts(context.db, params);
  const [stores, cells, categories, choices] = await Promise.all([
    listStoreColumns(context.db),
    listStoreProductCells(
      context.db,
      page.rows.map((r) => r.id),
    ),
    listCategories(context.db),
    listProductChoices(context.db),
  ]);
  return json({
    params,
    total: page.total,
    products: page.rows.map(({ id, sku, name_ru, name_zh, name_en, base_price, is_active }) => ({
      id,
      sku,
      name_ru,
      name_zh,
      name_en,
      base_price,
      is_active,
    })),
    stores,
    cells,
    categories,
    choices,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const intent = String(formData.get('intent') ?? '');
  const actor = actorOf(user, context);
  const back = new URL(request.url);

  switch (intent) {
    case GRID_INTENTS.cell: {
      const submission = parseWithZod(formData, { schema: storeProductSchema });
      if (submission.status !== 'success') return invalid(intent, submission);
      try {
        await updateStoreProduct(context.db, actor, submission.value);
      } catch (err) {
        return failure(intent, submission, err);
      }
      return reply(intent, submission.reply());
    }
    case GRID_INTENTS.bulkEnable: {
      const submission = parseWithZod(formData, { schema: bulkEnableSchema });
      if (submission.status !== 'success') return invalid(intent, submission);
      try {
        await enableProductInAllStores(context.db, actor, submission.value.product_id);
      } catch (err) {
        return failure(intent, submission, err);
      }
      return redirect(`${back.pathname}${back.search}`);
    }
    case GRID_INTENTS.copy: {
      const submission = parseWithZod(formData, { schema: copyStoreMenuSchema });
      if (submission.status !== 'success') return invalid(intent, submission);
      try {
        const { from_store_id, to_store_id } = submission.value;
        await copyStoreMenu(context.db, actor, from_store_id, to_store_id);
      } catch (err) {
        return failure(intent, submission, err);
      }
      return redirect(`${back.pathname}${back.search}`);
    }
    default:
      throw badIntent();
  }
}

export default function AdminMenuStoresRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  return (
    <div className="space-y-6">
      <PageHeader title={t('menu.grid.title')} description={t('menu.grid.description')} />
      <BulkActions stores={data.stores} products={data.choices} actionData={actionData} />
      <ListFilters q={data.params.q} searchLabel={t('menu.products.searchLabel')}>
        <FilterSelect
          name="category"
          label={t('menu.field.category')}
          value={data.params.filters.category?.toString()}
          options={data.categories.map((c) => ({
            value: String(c.id),
            label: pickLocalized(lang, c, 'name'),
          }))}
        />
      </ListFilters>
      <StoreGrid stores={data.stores} products={data.products} cells={data.cells} />
      <Pagination page={data.params.page} pageSize={data.params.pageSize} total={data.total} />
    </div>
  );
}
