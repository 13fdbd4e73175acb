import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { CheckboxField, FieldError, FormField } from '~/components/forms/form-fields';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardFooter, CardHeader } from '~/components/ui/card';
import { Input, Select, Textarea } from '~/components/ui/input';
import { toZonedLocal } from '~/features/campaigns/campaign-time';
import type { MessageKey } from '~/i18n/translate';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { COUPON_SCOPE_TYPES, COUPON_TYPES } from '~/utils/vocabularies';
import { couponTemplateFormSchema, couponTemplateLimitedFormSchema } from '../templates.schema';
import type { TemplateChoice } from '../templates.server';

const parseFull = (formData: FormData) =>
  parseWithZod(formData, { schema: couponTemplateFormSchema });

/** What the form shows: a stored template (dates as ISO) or the defaults of a new one. */
export interface TemplateFormData {
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  description_ru: string;
  description_zh: string | null;
  description_en: string | null;
  type: string;
  discount_value: string | null;
  rule_json?: unknown;
  scope_type: string;
  scope_category_ids: number[] | null;
  scope_product_ids: number[] | null;
  scope_store_ids: number[] | null;
  min_order_amount: string | null;
  max_discount_amount: string | null;
  max_usage_per_user: number | null;
  max_total_usage: number | null;
  valid_from: string;
  valid_until: string;
  is_active: boolean;
}

export interface TemplateChoices {
  stores: TemplateChoice[];
  categories: TemplateChoice[];
  products: TemplateChoice[];
}

/** A new template: 10 % off everything, from the next midnight (Moscow) for 30 days. */
export function newTemplateDefaults(now = new Date()): TemplateFormData {
  const day = 24 * 3_600_000;
  return {
    code: '',
    name_ru: '',
    name_zh: null,
    name_en: null,
    description_ru: '',
    description_zh: null,
    description_en: null,
    type: 'SIMPLE_PERCENTAGE',
    discount_value: '10.00',
    rule_json: null,
    scope_type: 'ALL',
    scope_category_ids: null,
    scope_product_ids: null,
    scope_store_ids: null,
    min_order_amount: null,
    max_discount_amount: null,
    max_usage_per_user: 1,
    max_total_usage: null,
    valid_from: `${toZonedLocal(new Date(now.getTime() + day)).slice(0, 10)}T00:00`,
    valid_until: `${toZonedLocal(new Date(now.getTime() + 31 * day)).slice(0, 10)}T00:00`,
    is_active: true,
  };
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const zoned = (v: string) => (LOCAL.test(v) ? v : toZonedLocal(v));
const text = (v: string | number | null | undefined) =>
  v === null || v === undefined ? '' : String(v);
const ids = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

function toFormValue(t: TemplateFormData) {
  const rule = (t.rule_json ?? {}) as Record<string, unknown>;
  const tiers = Array.isArray(rule.tiers)
    ? (rule.tiers as { min_amount: string; discount_amount: string }[])
    : [{ min_amount: '', discount_amount: '' }];
  return {
    code: t.code,
    name_ru: t.name_ru,
    name_zh: text(t.name_zh),
    name_en: text(t.name_en),
    description_ru: t.description_ru,
    description_zh: text(t.description_zh),
    description_en: text(t.description_en),
    type: t.type,
    discount_value: text(t.discount_value),
    rule_json: {
      tiers,
      buy_product_ids: ids(rule.buy_product_ids),
      get_product_ids: ids(rule.get_product_ids),
      product_ids: ids(rule.product_ids),
      category_ids: ids(rule.category_ids),
      list_kind: Array.isArray(rule.category_ids) ? 'categories' : 'products',
      buy_quantity: text(rule.buy_quantity as number | undefined) || '1',
      get_quantity: text(rule.get_quantity as number | undefined) || '1',
      get_discount_percent: text(rule.get_discount_percent as number | undefined) || '100',
      max_free_items: text(rule.max_free_items as number | undefined),
    },
    scope_type: t.scope_type,
    scope_category_ids: ids(t.scope_category_ids),
    scope_product_ids: ids(t.scope_product_ids),
    scope_store_ids: ids(t.scope_store_ids),
    min_order_amount: text(t.min_order_amount),
    max_discount_amount: text(t.max_discount_amount),
    max_usage_per_user: text(t.max_usage_per_user),
    max_total_usage: text(t.max_total_usage),
    valid_from: zoned(t.valid_from),
    valid_until: zoned(t.valid_until),
    is_active: t.is_active ? 'on' : '',
  };
}

/**
 * Checkboxes for a list of ids (stores, categories, products): works without JavaScript, and
 * conform reads the checked values as the field's array.
 */
function IdChecklist({
  field,
  label,
  hint,
  options,
  disabled,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  options: TemplateChoice[];
  disabled?: boolean;
}) {
  const lang = useLang();
  const initial = new Set(([] as unknown[]).concat(field.initialValue ?? []).map((v) => String(v)));
  return (
    <fieldset className="space-y-1.5" aria-describedby={field.errorId}>
      <legend className="text-sm font-medium text-stone-800">{label}</legend>
      {hint ? <p className="text-xs text-stone-500">{hint}</p> : null}
      <div className="max-h-48 overflow-y-auto rounded-md border border-stone-200 p-2">
        {options.map((o) => (
          <label
            key={`${field.key ?? ''}-${o.id}`}
            className="flex items-center gap-2 py-0.5 text-sm"
          >
            <input
              type="checkbox"
              name={field.name}
              value={o.id}
              defaultChecked={initial.has(String(o.id))}
              disabled={disabled}
              className="h-4 w-4 rounded border-stone-300"
            />
            <span className="font-mono text-xs text-stone-500">{o.code}</span>
            <span>{pickLocalized(lang, o, 'name')}</span>
          </label>
        ))}
      </div>
      <FieldError id={field.errorId} errors={field.errors} />
    </fieldset>
  );
}

export function TemplateForm({
  template,
  choices,
  lastResult,
  submitLabel,
  intent,
  frozen = false,
}: {
  template: TemplateFormData;
  choices: TemplateChoices;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: MessageKey;
  intent?: string;
  /** CP-15: an instance exists; only names, descriptions, max total, valid_until, active stay. */
  frozen?: boolean;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: toFormValue(template),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => {
      if (!frozen) return parseFull(formData);
      // the limited schema checks a subset of the same fields; conform only reads its errors
      return parseWithZod(formData, {
        schema: couponTemplateLimitedFormSchema,
      }) as unknown as ReturnType<typeof parseFull>;
    },
  });
  const rule = fields.rule_json.getFieldset();
  const tiers = rule.tiers.getFieldList();
  const type = String(fields.type.value ?? template.type);
  const scopeType = String(fields.scope_type.value ?? template.scope_type);
  const listKind = String(rule.list_kind.value ?? 'products');

  const input = (
    field: FieldMetadata<unknown>,
    opts: {
      type?: 'text' | 'number' | 'datetime-local';
      disabled?: boolean;
      decimal?: boolean;
    } = {},
  ) => {
    const { key, ...props } = getInputProps(field as FieldMetadata<string>, {
      type: opts.type ?? 'text',
    });
    return (
      <Input
        key={key}
        {...props}
        disabled={opts.disabled}
        inputMode={opts.decimal ? 'decimal' : undefined}
      />
    );
  };
  const select = (field: FieldMetadata<unknown>, options: [string, string][], disabled = false) => {
    const { key, ...props } = getSelectProps(field as FieldMetadata<string>);
    return (
      <Select key={key} {...props} disabled={disabled}>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
    );
  };
  const textarea = (field: FieldMetadata<unknown>) => {
    const { key, ...props } = getTextareaProps(field as FieldMetadata<string>);
    return <Textarea key={key} rows={2} {...props} />;
  };

  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <CsrfInput />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {form.errors?.length ? <Alert tone="danger">{t(form.errors[0] as MessageKey)}</Alert> : null}
      {frozen ? <Alert tone="info">{t('couponTemplates.frozen.notice')}</Alert> : null}
      <Card>
        <CardHeader title={t('couponTemplates.section.details')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField
            field={fields.code}
            label={t('couponTemplates.field.code')}
            hint={t('couponTemplates.hint.code')}
          >
            {input(fields.code, { disabled: frozen })}
          </FormField>
          <div className="space-y-2 pt-6">
            <CheckboxField
              field={fields.is_active as FieldMetadata<boolean | undefined>}
              label={t('couponTemplates.field.isActive')}
            />
          </div>
          <FormField field={fields.name_ru} label={t('couponTemplates.field.nameRu')}>
            {input(fields.name_ru)}
          </FormField>
          <FormField field={fields.description_ru} label={t('couponTemplates.field.descriptionRu')}>
            {textarea(fields.description_ru)}
          </FormField>
          <FormField field={fields.name_zh} label={t('couponTemplates.field.nameZh')}>
            {input(fields.name_zh)}
          </FormField>
          <FormField field={fields.description_zh} label={t('couponTemplates.field.descriptionZh')}>
            {textarea(fields.description_zh)}
          </FormField>
          <FormField field={fields.name_en} label={t('couponTemplates.field.nameEn')}>
            {input(fields.name_en)}
          </FormField>
          <FormField field={fields.description_en} label={t('couponTemplates.field.descriptionEn')}>
            {textarea(fields.description_en)}
          </FormField>
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title={t('couponTemplates.section.deal')}
          description={t('couponTemplates.hint.type')}
        />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField field={fields.type} label={t('couponTemplates.field.type')}>
            {select(
              fields.type,
              COUPON_TYPES.map((ty) => [ty, t(`couponTemplates.type.${ty}`)]),
              frozen,
            )}
          </FormField>
          {type === 'SIMPLE_PERCENTAGE' || type === 'SIMPLE_FIXED' ? (
            <FormField
              field={fields.discount_value}
              label={t(
                type === 'SIMPLE_PERCENTAGE'
                  ? 'couponTemplates.field.discountPercent'
                  : 'couponTemplates.field.discountRub',
              )}
            >
              {input(fields.discount_value, { disabled: frozen, decimal: true })}
            </FormField>
          ) : null}
          {type === 'THRESHOLD_OFF' ? (
            <fieldset className="space-y-2 sm:col-span-2">
              <legend className="text-sm font-medium text-stone-800">
                {t('couponTemplates.field.tiers')}
              </legend>
              <p className="text-xs text-stone-500">{t('couponTemplates.hint.tiers')}</p>
              {tiers.map((tier, i) => {
                const tf = tier.getFieldset();
                return (
                  <div key={tier.key} className="flex flex-wrap items-start gap-3">
                    <FormField
                      field={tf.min_amount}
                      label={t('couponTemplates.field.tierMin', { n: i + 1 })}
                    >
                      {input(tf.min_amount, { disabled: frozen, decimal: true })}
                    </FormField>
                    <FormField
                      field={tf.discount_amount}
                      label={t('couponTemplates.field.tierDiscount', { n: i + 1 })}
                    >
                      {input(tf.discount_amount, { disabled: frozen, decimal: true })}
                    </FormField>
                    {!frozen && tiers.length > 1 ? (
                      <Button
                        type="submit"
                        variant="ghost"
                        size="sm"
                        className="mt-6"
                        {...form.remove.getButtonProps({ name: rule.tiers.name, index: i })}
                      >
                        {t('couponTemplates.tier.remove')}
                      </Button>
                    ) : null}
                  </div>
                );
              })}
              <FieldError id={rule.tiers.errorId} errors={rule.tiers.errors} />
              <FieldError errors={fields.rule_json.errors} />
              {!frozen && tiers.length < 10 ? (
                <Button
                  type="submit"
                  variant="secondary"
                  size="sm"
                  {...form.insert.getButtonProps({
                    name: rule.tiers.name,
                    defaultValue: { min_amount: '', discount_amount: '' },
                  })}
                >
                  {t('couponTemplates.tier.add')}
                </Button>
              ) : null}
            </fieldset>
          ) : null}
          {type === 'BOGO' || type === 'BUY_N_GET_M' ? (
            <>
              <FormField field={rule.buy_quantity} label={t('couponTemplates.field.buyQuantity')}>
                {input(rule.buy_quantity, { type: 'number', disabled: frozen })}
              </FormField>
              <FormField field={rule.get_quantity} label={t('couponTemplates.field.getQuantity')}>
                {input(rule.get_quantity, { type: 'number', disabled: frozen })}
              </FormField>
              <FormField
                field={rule.get_discount_percent}
                label={t('couponTemplates.field.getDiscountPercent')}
              >
                {input(rule.get_discount_percent, { type: 'number', disabled: frozen })}
              </FormField>
              <FormField
                field={rule.max_free_items}
                label={t('couponTemplates.field.maxFreeItems')}
                hint={t('couponTemplates.hint.optional')}
              >
                {input(rule.max_free_items, { type: 'number', disabled: frozen })}
              </FormField>
              <FieldError errors={fields.rule_json.errors} />
            </>
          ) : null}
          {type === 'BOGO' ? (
            <>
              <IdChecklist
                field={rule.buy_product_ids}
                label={t('couponTemplates.field.buyProducts')}
                options={choices.products}
                disabled={frozen}
              />
              <IdChecklist
                field={rule.get_product_ids}
                label={t('couponTemplates.field.getProducts')}
                hint={t('couponTemplates.hint.getProducts')}
                options={choices.products}
                disabled={frozen}
              />
            </>
          ) : null}
          {type === 'BUY_N_GET_M' ? (
            <>
              <FormField field={rule.list_kind} label={t('couponTemplates.field.listKind')}>
                {select(
                  rule.list_kind,
                  [
                    ['products', t('couponTemplates.listKind.products')],
                    ['categories', t('couponTemplates.listKind.categories')],
                  ],
                  frozen,
                )}
              </FormField>
              {listKind === 'categories' ? (
                <IdChecklist
                  field={rule.category_ids}
                  label={t('couponTemplates.field.ruleCategories')}
                  options={choices.categories}
                  disabled={frozen}
                />
              ) : (
                <IdChecklist
                  field={rule.product_ids}
                  label={t('couponTemplates.field.ruleProducts')}
                  options={choices.products}
                  disabled={frozen}
                />
              )}
            </>
          ) : null}
        </CardBody>
      </Card>

      <Card>
        <CardHeader title={t('couponTemplates.section.scope')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <IdChecklist
            field={fields.scope_store_ids}
            label={t('couponTemplates.field.scopeStores')}
            hint={t('couponTemplates.hint.scopeStores')}
            options={choices.stores}
            disabled={frozen}
          />
          <div className="space-y-4">
            <FormField
              field={fields.scope_type}
              label={t('couponTemplates.field.scopeType')}
              hint={t('couponTemplates.hint.scopeType')}
            >
              {select(
                fields.scope_type,
                COUPON_SCOPE_TYPES.map((s) => [s, t(`couponTemplates.scope.${s}`)]),
                frozen,
              )}
            </FormField>
            {scopeType === 'CATEGORIES' ? (
              <IdChecklist
                field={fields.scope_category_ids}
                label={t('couponTemplates.field.scopeCategories')}
                options={choices.categories}
                disabled={frozen}
              />
            ) : null}
            {scopeType === 'PRODUCTS' ? (
              <IdChecklist
                field={fields.scope_product_ids}
                label={t('couponTemplates.field.scopeProducts')}
                options={choices.products}
                disabled={frozen}
              />
            ) : null}
          </div>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title={t('couponTemplates.section.limits')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField
            field={fields.min_order_amount}
            label={t('couponTemplates.field.minOrder')}
            hint={t('couponTemplates.hint.optional')}
          >
            {input(fields.min_order_amount, { disabled: frozen, decimal: true })}
          </FormField>
          <FormField
            field={fields.max_discount_amount}
            label={t('couponTemplates.field.maxDiscount')}
            hint={t('couponTemplates.hint.optional')}
          >
            {input(fields.max_discount_amount, { disabled: frozen, decimal: true })}
          </FormField>
          <FormField
            field={fields.max_usage_per_user}
            label={t('couponTemplates.field.maxUsagePerUser')}
            hint={t('couponTemplates.hint.unlimited')}
          >
            {input(fields.max_usage_per_user, { type: 'number', disabled: frozen })}
          </FormField>
          <FormField
            field={fields.max_total_usage}
            label={t('couponTemplates.field.maxTotalUsage')}
            hint={t('couponTemplates.hint.unlimited')}
          >
            {input(fields.max_total_usage, { type: 'number' })}
          </FormField>
          <FormField
            field={fields.valid_from}
            label={t('couponTemplates.field.validFrom')}
            hint={t('couponTemplates.hint.dates')}
          >
            {input(fields.valid_from, { type: 'datetime-local', disabled: frozen })}
          </FormField>
          <FormField field={fields.valid_until} label={t('couponTemplates.field.validUntil')}>
            {input(fields.valid_until, { type: 'datetime-local' })}
          </FormField>
        </CardBody>
        <CardFooter>
          <Button type="submit" variant="primary" disabled={navigation.state === 'submitting'}>
            {t(submitLabel)}
          </Button>
        </CardFooter>
      </Card>
    </Form>
  );
}
