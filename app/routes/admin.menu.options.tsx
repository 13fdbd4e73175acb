import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { Badge } from '~/components/ui/badge';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { PageHeader } from '~/components/ui/page-header';
import {
  GroupRuleText,
  OptionGroupForm,
  OptionItemForm,
} from '~/features/menu/components/option-forms';
import { actorOf, badIntent, failure, invalid } from '~/features/menu/menu-action.server';
import { listOptionGroups } from '~/features/menu/menu.server';
import { optionGroupSchema, optionItemSchema } from '~/features/menu/menu.schema';
import {
  createOptionGroup,
  createOptionItem,
  updateOptionGroup,
  updateOptionItem,
} from '~/features/menu/menu.service.server';
import type { MessageKey } from '~/i18n/translate';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub, toDecimal } from '~/utils/money';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'menu.options.pageTitle');

const INTENTS = {
  createGroup: 'create-group',
  updateGroup: 'update-group',
  createItem: 'create-item',
  updateItem: 'update-item',
} as const;
const withId = { id: z.number({ error: 'menu.error.required' }).int().positive() };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return json({ groups: await listOptionGroups(context.db) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const intent = String(formData.get('intent') ?? '');
  const actor = actorOf(user, context);
  const done = redirect(new URL(request.url).pathname);

  if (intent === INTENTS.createGroup || intent === INTENTS.updateGroup) {
    const schema =
      intent === INTENTS.createGroup ? optionGroupSchema : optionGroupSchema.extend(withId);
    const submission = parseWithZod(formData, { schema });
    if (submission.status !== 'success') return invalid(intent, submission);
    try {
      const value = submission.value;
      if ('id' in value) await updateOptionGroup(context.db, actor, value.id as number, value);
      else await createOptionGroup(context.db, actor, value);
    } catch (err) {
      return failure(intent, submission, err);
    }
    return done;
  }
  if (intent === INTENTS.createItem || intent === INTENTS.updateItem) {
    const schema =
      intent === INTENTS.createItem ? optionItemSchema : optionItemSchema.extend(withId);
    const submission = parseWithZod(formData, { schema });
    if (submission.status !== 'success') return invalid(intent, submission);
    try {
      const value = submission.value;
      if ('id' in value) await updateOptionItem(context.db, actor, value.id as number, value);
      else await createOptionItem(context.db, actor, value);
    } catch (err) {
      return failure(intent, submission, err);
    }
    return done;
  }
  throw badIntent();
}

export default function AdminMenuOptionsRoute() {
  const { groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const editGroup = searchParams.get('group');
  const editItem = searchParams.get('item');
  const replyFor = (intent: string, key: string, value: string | number) => {
    if (actionData?.intent !== intent) return undefined;
    const initial = actionData.result.initialValue as Record<string, unknown> | null | undefined;
    return String(initial?.[key] ?? '') === String(value) ? actionData.result : undefined;
  };

  return (
    <div className="space-y-6">
      <PageHeader title={t('menu.options.pageTitle')} description={t('menu.options.description')} />
      {groups.length === 0 ? <EmptyState title={t('menu.options.empty')} /> : null}
      {groups.map((g) => (
        <Card key={g.id}>
          <CardHeader
            title={
              <span className="flex flex-wrap items-center gap-2">
                {pickLocalized(lang, g, 'name')}
                <span className="font-mono text-xs text-stone-400">{g.code}</span>
                <Badge tone="brand">{t(`menu.groupType.${g.group_type}` as MessageKey)}</Badge>
                <GroupRuleText type={g.group_type} />
              </span>
            }
            description={t('menu.options.usedBy', { count: g.product_count })}
            actions={
              <Link
                to={`?group=${g.id}`}
                className="text-sm text-brand-700 hover:underline"
                preventScrollReset
              >
                {t('menu.edit')}
              </Link>
            }
          />
          <CardBody className="space-y-4">
            {editGroup === String(g.id) ? (
              <OptionGroupForm
                intent={INTENTS.updateGroup}
                lastResult={replyFor(INTENTS.updateGroup, 'id', g.id)}
                defaultValue={{
                  id: g.id,
                  code: g.code,
                  name_ru: g.name_ru,
                  name_zh: g.name_zh ?? '',
                  name_en: g.name_en ?? '',
                  group_type: g.group_type,
                  sort_order: String(g.sort_order),
                }}
              />
            ) : null}
            <ul className="divide-y divide-stone-100 text-sm">
              {g.items.map((i) => (
                <li key={i.id} className="py-2">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="flex items-center gap-2">
                      {pickLocalized(lang, i, 'name')}
                      <span className="font-mono text-xs text-stone-400">{i.code}</span>
                      {!i.is_available ? <Badge>{t('menu.options.unavailable')}</Badge> : null}
                    </span>
                    <span className="flex items-center gap-3">
                      <span className="text-stone-600">+{formatRub(i.price_delta, lang)}</span>
                      <Link
                        to={`?item=${i.id}`}
                        className="text-brand-700 hover:underline"
                        preventScrollReset
                      >
                        {t('menu.edit')}
                      </Link>
                    </span>
                  </div>
                  {editItem === String(i.id) ? (
                    <div className="mt-3">
                      <OptionItemForm
                        intent={INTENTS.updateItem}
                        lastResult={replyFor(INTENTS.updateItem, 'id', i.id)}
                        defaultValue={{
                          id: i.id,
                          group_id: String(g.id),
                          code: i.code,
                          name_ru: i.name_ru,
                          name_zh: i.name_zh ?? '',
                          name_en: i.name_en ?? '',
                          price_delta: toDecimal(i.price_delta),
                          is_available: i.is_available,
                          sort_order: String(i.sort_order),
                        }}
                      />
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
            <details className="rounded-md border border-dashed border-stone-300 p-3">
              <summary className="cursor-pointer text-sm font-medium text-stone-700">
                {t('menu.options.addItem')}
              </summary>
              <div className="mt-3">
                <OptionItemForm
                  intent={INTENTS.createItem}
                  lastResult={replyFor(INTENTS.createItem, 'group_id', g.id)}
                  defaultValue={{
                    group_id: String(g.id),
                    code: '',
                    name_ru: '',
                    name_zh: '',
                    name_en: '',
                    price_delta: '0',
                    is_available: true,
                    sort_order: '0',
                  }}
                />
              </div>
            </details>
          </CardBody>
        </Card>
      ))}
      <Card>
        <CardHeader title={t('menu.options.createGroup')} />
        <CardBody>
          <OptionGroupForm
            intent={INTENTS.createGroup}
            lastResult={actionData?.intent === INTENTS.createGroup ? actionData.result : undefined}
            defaultValue={{
              code: '',
              name_ru: '',
              name_zh: '',
              name_en: '',
              group_type: '',
              sort_order: '0',
            }}
          />
        </CardBody>
      </Card>
    </div>
  );
}
