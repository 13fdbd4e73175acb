import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { Field, Input, Select } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub, toDecimal } from '~/utils/money';
import { attachOptionGroupSchema, productOptionItemSchema } from '../menu.schema';
import { FormErrors, useFieldError } from './form-controls';

type Localized = { name_ru: string; name_zh: string | null; name_en: string | null };
type Item = Localized & { id: number; group_id: number; code: string; price_delta: number };
type Group = Localized & { id: number; code: string; group_type: string; items: Item[] };
type AttachedGroup = Localized & {
  group_id: number;
  code: string;
  group_type: string;
  default_item_id: number | null;
  sort_order: number;
  items: (Item & {
    is_available: boolean;
    price_delta_override: number | null;
    is_available_override: boolean | null;
  })[];
};

export const OPTION_INTENTS = {
  attach: 'attach-group',
  detach: 'detach-group',
  item: 'set-item',
} as const;

type ActionData = { intent: string; result: SubmissionResult<string[]> } | undefined;

function resultFor(actionData: ActionData, intent: string, key: string, value: number | string) {
  if (!actionData || actionData.intent !== intent) return undefined;
  const initial = actionData.result.initialValue as Record<string, unknown> | null | undefined;
  return String(initial?.[key] ?? '') === String(value) ? actionData.result : undefined;
}

/** Attach / re-default a group: every item of every group is offered as the default, so a
 *  default from another group is refused by the server with a message next to the field. */
function AttachGroupForm({
  groups,
  attached,
  lastResult,
}: {
  groups: Group[];
  attached?: AttachedGroup;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const t = useT();
  const lang = useLang();
  const errorOf = useFieldError();
  const [form, fields] = useForm({
    id: attached ? `attach-${attached.group_id}` : 'attach-new',
    lastResult,
    defaultValue: attached
      ? {
          group_id: String(attached.group_id),
          default_item_id: attached.default_item_id ? String(attached.default_item_id) : '',
          sort_order: String(attached.sort_order),
        }
      : { group_id: '', default_item_id: '', sort_order: '0' },
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attachOptionGroupSchema }),
  });
  const { key: groupKey, ...groupProps } = getSelectProps(fields.group_id);
  const { key: defaultKey, ...defaultProps } = getSelectProps(fields.default_item_id);
  const { key: sortKey, ...sortProps } = getInputProps(fields.sort_order, { type: 'text' });
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3">
      <CsrfInput />
      <input type="hidden" name="intent" value={OPTION_INTENTS.attach} />
      <FormErrors errors={form.errors} />
      {attached ? (
        <input type="hidden" name="group_id" value={attached.group_id} />
      ) : (
        <Field label={t('menu.options.group')} error={errorOf(fields.group_id.errors)}>
          {(p) => (
            <Select key={groupKey} {...groupProps} {...p}>
              <option value="">{t('menu.options.chooseGroup')}</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {pickLocalized(lang, g, 'name')} ·{' '}
                  {t(`menu.groupType.${g.group_type}` as MessageKey)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      <Field
        label={t('menu.options.defaultItem')}
        error={errorOf(fields.default_item_id.errors ?? fields.group_id.errors)}
        className="min-w-56"
      >
        {(p) => (
          <Select key={defaultKey} {...defaultProps} {...p}>
            <option value="">{t('menu.options.noDefault')}</option>
            {groups.map((g) => (
              <optgroup key={g.id} label={pickLocalized(lang, g, 'name')}>
                {g.items.map((i) => (
                  <option key={i.id} value={i.id}>
                    {pickLocalized(lang, i, 'name')}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t('menu.field.sortOrder')} error={errorOf(fields.sort_order.errors)}>
        {(p) => <Input key={sortKey} {...sortProps} {...p} className="w-20" inputMode="numeric" />}
      </Field>
      <Button type="submit" variant={attached ? 'secondary' : 'primary'}>
        {attached ? t('common.save') : t('menu.options.attach')}
      </Button>
    </Form>
  );
}

function ItemOverrideForm({
  item,
  lastResult,
}: {
  item: AttachedGroup['items'][number];
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const t = useT();
  const lang = useLang();
  const errorOf = useFieldError();
  const [form, fields] = useForm({
    id: `item-${item.id}`,
    lastResult,
    defaultValue: {
      item_id: String(item.id),
      price_delta_override:
        item.price_delta_override === null ? '' : toDecimal(item.price_delta_override),
      availability:
        item.is_available_override === null
          ? 'inherit'
          : item.is_available_override
            ? 'available'
            : 'unavailable',
    },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: productOptionItemSchema }),
  });
  const { key: priceKey, ...priceProps } = getInputProps(fields.price_delta_override, {
    type: 'text',
  });
  const { key: availKey, ...availProps } = getSelectProps(fields.availability);
  const error = errorOf(fields.price_delta_override.errors ?? fields.item_id.errors);
  return (
    <tr>
      <td className="px-3 py-2">
        {pickLocalized(lang, item, 'name')}{' '}
        <span className="font-mono text-xs text-stone-400">{item.code}</span>
        {!item.is_available ? (
          <Badge className="ml-1">{t('menu.options.unavailableChainWide')}</Badge>
        ) : null}
      </td>
      <td className="px-3 py-2 text-right text-stone-500">{formatRub(item.price_delta, lang)}</td>
      <td className="px-3 py-2">
        <Input
          key={priceKey}
          {...priceProps}
          form={form.id}
          inputMode="decimal"
          placeholder={t('menu.options.inherit')}
          aria-label={t('menu.options.priceOverride')}
          aria-invalid={error ? true : undefined}
          className="w-28"
        />
        {error ? <p className="mt-1 text-xs font-medium text-red-600">{error}</p> : null}
      </td>
      <td className="px-3 py-2">
        <Select
          key={availKey}
          {...availProps}
          form={form.id}
          aria-label={t('menu.options.availability')}
        >
          <option value="inherit">{t('menu.options.inherit')}</option>
          <option value="available">{t('menu.options.available')}</option>
          <option value="unavailable">{t('menu.options.unavailable')}</option>
        </Select>
      </td>
      <td className="px-3 py-2 text-right">
        {/* the form sits in this cell; the inputs of the other cells join it by form= */}
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value={OPTION_INTENTS.item} />
          <input type="hidden" name="item_id" value={item.id} />
          <Button type="submit" size="sm">
            {t('common.save')}
          </Button>
        </Form>
      </td>
    </tr>
  );
}

export function ProductOptions({
  attached,
  groups,
  actionData,
}: {
  attached: AttachedGroup[];
  groups: Group[];
  actionData: ActionData;
}) {
  const t = useT();
  const lang = useLang();
  const errorOf = useFieldError();
  const unattached = groups.filter((g) => !attached.some((a) => a.group_id === g.id));
  const detachError =
    actionData?.intent === OPTION_INTENTS.detach
      ? errorOf(actionData.result.error?.group_id ?? undefined)
      : undefined;
  return (
    <Card>
      <CardHeader title={t('menu.options.title')} description={t('menu.options.productHint')} />
      <CardBody className="space-y-6">
        {detachError ? <p className="text-sm font-medium text-red-600">{detachError}</p> : null}
        {attached.map((g) => (
          <section key={g.group_id} className="space-y-3 rounded-md border border-stone-200 p-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="text-sm font-semibold text-stone-900">
                {pickLocalized(lang, g, 'name')}{' '}
                <Badge tone="neutral">{t(`menu.groupType.${g.group_type}` as MessageKey)}</Badge>
              </h3>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value={OPTION_INTENTS.detach} />
                <input type="hidden" name="group_id" value={g.group_id} />
                <Button type="submit" size="sm" variant="ghost">
                  {t('menu.options.detach')}
                </Button>
              </Form>
            </div>
            <AttachGroupForm
              groups={groups}
              attached={g}
              lastResult={resultFor(actionData, OPTION_INTENTS.attach, 'group_id', g.group_id)}
            />
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs text-stone-500">
                <tr>
                  <th className="px-3 py-1 font-medium">{t('menu.options.item')}</th>
                  <th className="px-3 py-1 text-right font-medium">{t('menu.field.priceDelta')}</th>
                  <th className="px-3 py-1 font-medium">{t('menu.options.priceOverride')}</th>
                  <th className="px-3 py-1 font-medium">{t('menu.options.availability')}</th>
                  <th className="px-3 py-1" />
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {g.items.map((item) => (
                  <ItemOverrideForm
                    key={item.id}
                    item={item}
                    lastResult={resultFor(actionData, OPTION_INTENTS.item, 'item_id', item.id)}
                  />
                ))}
              </tbody>
            </table>
          </section>
        ))}
        {unattached.length > 0 ? (
          <section className="space-y-2">
            <h3 className="text-sm font-semibold text-stone-900">
              {t('menu.options.attachTitle')}
            </h3>
            <AttachGroupForm
              groups={unattached.length ? groups : []}
              lastResult={
                actionData?.intent === OPTION_INTENTS.attach &&
                !attached.some(
                  (a) =>
                    String(a.group_id) ===
                    String(
                      (actionData.result.initialValue as Record<string, unknown> | null)
                        ?.group_id ?? '',
                    ),
                )
                  ? actionData.result
                  : undefined
              }
            />
          </section>
        ) : null}
      </CardBody>
    </Card>
  );
}
