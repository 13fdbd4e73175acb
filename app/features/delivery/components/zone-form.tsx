import {
  getFormProps,
  getInputProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Input, Textarea } from '~/components/ui/input';
import { CheckboxField, FormField } from '~/components/forms/form-fields';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';
import { toDecimal } from '~/utils/money';
import { zoneFormSchema } from '../delivery.schema';
import { formatPointList, type LatLng } from '../polygon';

export interface ZoneFormValues {
  id?: number;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  polygon: readonly LatLng[];
  fee: number;
  minOrderAmount: number;
  etaMinutes: number;
  isActive: boolean;
}

export const NEW_ZONE: ZoneFormValues = {
  name_ru: '',
  name_zh: null,
  name_en: null,
  polygon: [],
  fee: 0,
  minOrderAmount: 0,
  etaMinutes: 45,
  isActive: true,
};

/** One zone's form: "create" for a new zone, "update" (with zoneId) for an existing one. */
export function ZoneForm({
  zone,
  lastResult,
}: {
  zone: ZoneFormValues;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: zone.id ? `zone-${zone.id}` : 'zone-new',
    lastResult,
    defaultValue: {
      name_ru: zone.name_ru,
      name_zh: zone.name_zh ?? '',
      name_en: zone.name_en ?? '',
      polygon: formatPointList(zone.polygon),
      fee: toDecimal(zone.fee),
      min_order_amount: toDecimal(zone.minOrderAmount),
      eta_minutes: String(zone.etaMinutes),
      is_active: zone.isActive,
    },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: zoneFormSchema }),
  });
  const input = (field: Parameters<typeof getInputProps>[0], type: 'text' | 'number' = 'text') => {
    const { key, ...props } = getInputProps(field, { type });
    return <Input key={key} {...props} inputMode={type === 'number' ? 'numeric' : undefined} />;
  };
  const { key: polygonKey, ...polygonProps } = getTextareaProps(fields.polygon);
  return (
    <Form method="post" {...getFormProps(form)} className="grid gap-4 sm:grid-cols-3">
      <CsrfInput />
      <input type="hidden" name="intent" value={zone.id ? 'update' : 'create'} />
      {zone.id ? <input type="hidden" name="zoneId" value={zone.id} /> : null}
      {form.errors?.length ? (
        <Alert tone="danger" className="sm:col-span-3">
          {t(form.errors[0] as MessageKey)}
        </Alert>
      ) : null}
      <FormField field={fields.name_ru} label={t('stores.field.nameRu')}>
        {input(fields.name_ru)}
      </FormField>
      <FormField field={fields.name_zh} label={t('stores.field.nameZh')}>
        {input(fields.name_zh)}
      </FormField>
      <FormField field={fields.name_en} label={t('stores.field.nameEn')}>
        {input(fields.name_en)}
      </FormField>
      <FormField
        field={fields.polygon}
        label={t('delivery.field.polygon')}
        hint={t('delivery.hint.polygon')}
        className="space-y-1.5 sm:col-span-3"
      >
        <Textarea key={polygonKey} {...polygonProps} rows={6} className="font-mono text-xs" />
      </FormField>
      <FormField
        field={fields.fee}
        label={t('delivery.field.fee')}
        hint={t('delivery.hint.rubles')}
      >
        {input(fields.fee)}
      </FormField>
      <FormField field={fields.min_order_amount} label={t('delivery.field.minOrder')}>
        {input(fields.min_order_amount)}
      </FormField>
      <FormField
        field={fields.eta_minutes}
        label={t('delivery.field.eta')}
        hint={t('delivery.hint.eta')}
      >
        {input(fields.eta_minutes, 'number')}
      </FormField>
      <div className="flex items-center justify-between gap-4 sm:col-span-3">
        <CheckboxField field={fields.is_active} label={t('delivery.field.active')} />
        <Button type="submit" variant="primary" disabled={navigation.state === 'submitting'}>
          {t(zone.id ? 'common.save' : 'delivery.create')}
        </Button>
      </div>
    </Form>
  );
}
