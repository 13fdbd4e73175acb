import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { Badge } from '~/components/ui/badge';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { PageHeader } from '~/components/ui/page-header';
import { DataTable } from '~/components/data-table';
import { CategoryForm } from '~/features/menu/components/category-form';
import { actorOf, badIntent, failure, invalid } from '~/features/menu/menu-action.server';
import { listCategories } from '~/features/menu/menu.server';
import { categorySchema } from '~/features/menu/menu.schema';
import { createCategory, updateCategory } from '~/features/menu/menu.service.server';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'menu.categories.title');

const INTENT_CREATE = 'create';
const INTENT_UPDATE = 'update';
const updateSchema = categorySchema.extend({
  id: z.number({ error: 'menu.error.required' }).int().positive(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return json({ categories: await listCategories(context.db) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const intent = String(formData.get('intent') ?? '');
  const actor = actorOf(user, context);
  if (intent === INTENT_CREATE) {
    const submission = parseWithZod(formData, { schema: categorySchema });
    if (submission.status !== 'success') return invalid(intent, submission);
    try {
      await createCategory(context.db, actor, submission.value);
    } catch (err) {
      return failure(intent, submission, err);
    }
    return redirect('/admin/menu/categories');
  }
  if (intent === INTENT_UPDATE) {
    const submission = parseWithZod(formData, { schema: updateSchema });
    if (submission.status !== 'success') return invalid(intent, submission);
    const { id, ...input } = submission.value;
    try {
      await updateCategory(context.db, actor, id, input);
    } catch (err) {
      return failure(intent, submission, err);
    }
    return redirect('/admin/menu/categories');
  }
  throw badIntent();
}

export default function AdminMenuCategoriesRoute() {
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const editing = categories.find((c) => String(c.id) === searchParams.get('edit'));
  const toDefaults = (c: (typeof categories)[number]) => ({
    id: c.id,
    code: c.code,
    name_ru: c.name_ru,
    name_zh: c.name_zh ?? '',
    name_en: c.name_en ?? '',
    sort_order: String(c.sort_order),
    is_active: c.is_active,
  });
  return (
    <div className="space-y-6">
      <PageHeader
        title={t('menu.categories.title')}
        description={t('menu.categories.description')}
      />
      <DataTable
        caption={t('menu.categories.title')}
        rows={categories}
        rowKey={(c) => c.id}
        columns={[
          {
            id: 'order',
            header: t('menu.field.sortOrder'),
            align: 'right',
            cell: (c) => c.sort_order,
          },
          {
            id: 'code',
            header: t('menu.field.code'),
            cell: (c) => <span className="font-mono text-xs">{c.code}</span>,
          },
          {
            id: 'name',
            header: t('menu.field.name'),
            cell: (c) => (
              <span className="flex items-center gap-1.5">
                {pickLocalized(lang, c, 'name')}
                {!c.is_active ? <Badge>{t('menu.status.inactive')}</Badge> : null}
              </span>
            ),
          },
          {
            id: 'count',
            header: t('menu.categories.products'),
            align: 'right',
            cell: (c) => c.product_count,
          },
          {
            id: 'edit',
            header: <span className="sr-only">{t('menu.actions')}</span>,
            align: 'right',
            cell: (c) => (
              <Link
                to={`?edit=${c.id}`}
                className="text-brand-700 hover:underline"
                preventScrollReset
              >
                {t('menu.edit')}
              </Link>
            ),
          },
        ]}
      />
      {editing ? (
        <Card>
          <CardHeader title={t('menu.categories.edit', { name: editing.name_ru })} />
          <CardBody>
            <CategoryForm
              key={editing.id}
              intent={INTENT_UPDATE}
              defaultValue={toDefaults(editing)}
              lastResult={actionData?.intent === INTENT_UPDATE ? actionData.result : undefined}
            />
          </CardBody>
        </Card>
      ) : null}
      <Card>
        <CardHeader title={t('menu.categories.create')} />
        <CardBody>
          <CategoryForm
            intent={INTENT_CREATE}
            defaultValue={{
              code: '',
              name_ru: '',
              name_zh: '',
              name_en: '',
              sort_order: '0',
              is_active: true,
            }}
            lastResult={actionData?.intent === INTENT_CREATE ? actionData.result : undefined}
          />
        </CardBody>
      </Card>
    </div>
  );
}
