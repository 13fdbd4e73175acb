import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardFooter, CardHeader } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';
import {
  DEFAULT_TIMEZONE,
  dayKind,
  storeFormSchema,
  WEEKDAYS,
  type OpeningHours,
  type StoreDetail,
} from '../stores.schema';
import { CheckboxField, FieldError, FormField } from '~/components/forms/form-fields';

type StoreDefaults = Omit<StoreDetail, 'id'>;

/** What a new store starts with: open every day 10:00–22:00, pickup on, Moscow time. */
export const NEW_STORE_DEFAULTS: StoreDefaults = {
  code: '',
  name_ru: '',
  name_zh: null,
  name_en: null,
  address_ru: '',
  city: '',
  latitude: null,
  longitude: null,
  phone: null,
  timezone: DEFAULT_TIMEZONE,
  opening_hours: Object.fromEntries(
    WEEKDAYS.map((d) => [d, { open: '10:00', close: '22:00' }]),
  ) as OpeningHours,
  is_active: true,
  pickup_enabled: true,
  delivery_enabled: false,
  iiko_terminal_group_id: null,
};

function toFormValue(store: StoreDefaults) {
  return {
    code: store.code,
    name_ru: store.name_ru,
    name_zh: store.name_zh ?? '',
    name_en: store.name_en ?? '',
    address_ru: store.address_ru,
    city: store.city,
    latitude: store.latitude ?? '',
    longitude: store.longitude ?? '',
    phone: store.phone ?? '',
    timezone: store.timezone,
    iiko_terminal_group_id: store.iiko_terminal_group_id ?? '',
    pickup_enabled: store.pickup_enabled,
    delivery_enabled: store.delivery_enabled,
    is_active: store.is_active,
    hours: Object.fromEntries(
      WEEKDAYS.map((d) => {
        const h = store.opening_hours[d];
        return [d, h ? { open: h.open, close: h.close, closed: false } : { closed: true }];
      }),
    ),
  };
}

const KIND_KEYS = {
  closed: 'stores.hours.kind.closed',
  sameDay: 'stores.hours.kind.sameDay',
  pastMidnight: 'stores.hours.kind.pastMidnight',
  allDay: 'stores.hours.kind.allDay',
} as const satisfies Record<string, MessageKey>;

export function StoreForm({
  store,
  lastResult,
  submitLabel,
}: {
  store: StoreDefaults;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: MessageKey;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: toFormValue(store),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: storeFormSchema }),
  });
  const hours = fields.hours.getFieldset();
  const text = (field: Parameters<typeof getInputProps>[0], type: 'text' | 'tel' = 'text') => {
    const { key, ...props } = getInputProps(field, { type });
    return <Input key={key} {...props} />;
  };

  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <CsrfInput />
      {form.errors?.length ? <Alert tone="danger">{t(form.errors[0] as MessageKey)}</Alert> : null}
      <Card>
        <CardHeader title={t('stores.form.section.identity')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField
            field={fields.code}
            label={t('stores.field.code')}
            hint={t('stores.hint.code')}
          >
            {text(fields.code)}
          </FormField>
          <FormField field={fields.city} label={t('stores.field.city')}>
            {text(fields.city)}
          </FormField>
          <FormField field={fields.name_ru} label={t('stores.field.nameRu')}>
            {text(fields.name_ru)}
          </FormField>
          <FormField field={fields.name_zh} label={t('stores.field.nameZh')}>
            {text(fields.name_zh)}
          </FormField>
          <FormField field={fields.name_en} label={t('stores.field.nameEn')}>
            {text(fields.name_en)}
          </FormField>
          <FormField
            field={fields.phone}
            label={t('stores.field.phone')}
            hint={t('stores.hint.phone')}
          >
            {text(fields.phone, 'tel')}
          </FormField>
          <FormField
            field={fields.address_ru}
            label={t('stores.field.address')}
            className="space-y-1.5 sm:col-span-2"
          >
            {text(fields.address_ru)}
          </FormField>
          <FormField
            field={fields.latitude}
            label={t('stores.field.latitude')}
            hint={t('stores.hint.coordinates')}
          >
            {text(fields.latitude)}
          </FormField>
          <FormField field={fields.longitude} label={t('stores.field.longitude')}>
            {text(fields.longitude)}
          </FormField>
          <p className="text-xs text-stone-500 sm:col-span-2">{t('stores.hint.noEmail')}</p>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title={t('stores.form.section.hours')} description={t('stores.hint.hours')} />
        <CardBody>
          <FormField
            field={fields.timezone}
            label={t('stores.field.timezone')}
            hint={t('stores.hint.timezone')}
            className="mb-4 max-w-sm space-y-1.5"
          >
            {text(fields.timezone)}
          </FormField>
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-stone-500">
                <th className="py-1 pr-3 font-medium">{t('stores.hours.day')}</th>
                <th className="py-1 pr-3 font-medium">{t('stores.hours.closed')}</th>
                <th className="py-1 pr-3 font-medium">{t('stores.hours.open')}</th>
                <th className="py-1 pr-3 font-medium">{t('stores.hours.close')}</th>
                <th className="py-1 font-medium">{t('stores.hours.reads')}</th>
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map((day) => {
                const dayFields = hours[day]!.getFieldset();
                const current = store.opening_hours[day];
                const closed = getInputProps(dayFields.closed, { type: 'checkbox' });
                const open = getInputProps(dayFields.open, { type: 'time' });
                const close = getInputProps(dayFields.close, { type: 'time' });
                return (
                  <tr key={day} className="border-t border-stone-100">
                    <th scope="row" className="py-2 pr-3 text-left font-medium text-stone-800">
                      {t(`stores.weekday.${day}`)}
                    </th>
                    <td className="py-2 pr-3">
                      <input
                        {...closed}
                        key={closed.key}
                        aria-label={`${t(`stores.weekday.${day}`)}: ${t('stores.hours.closed')}`}
                        className="h-4 w-4 rounded border-stone-300"
                      />
                    </td>
                    <td className="py-2 pr-3">
                      <Input
                        {...open}
                        key={open.key}
                        aria-label={`${t(`stores.weekday.${day}`)}: ${t('stores.hours.open')}`}
                        className="w-28"
                      />
                      <FieldError id={dayFields.open.errorId} errors={dayFields.open.errors} />
                    </td>
                    <td className="py-2 pr-3">
                      <Input
                        {...close}
                        key={close.key}
                        aria-label={`${t(`stores.weekday.${day}`)}: ${t('stores.hours.close')}`}
                        className="w-28"
                      />
                      <FieldError id={dayFields.close.errorId} errors={dayFields.close.errors} />
                    </td>
                    <td className="py-2 text-xs text-stone-500">
                      {t(KIND_KEYS[dayKind(current)])}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title={t('stores.form.section.operations')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField
            field={fields.iiko_terminal_group_id}
            label={t('stores.field.iikoTerminalGroup')}
            hint={t('stores.hint.iiko')}
            className="space-y-1.5 sm:col-span-2"
          >
            {text(fields.iiko_terminal_group_id)}
          </FormField>
          <CheckboxField field={fields.pickup_enabled} label={t('stores.field.pickup')} />
          <CheckboxField field={fields.delivery_enabled} label={t('stores.field.delivery')} />
          <CheckboxField
            field={fields.is_active}
            label={t('stores.field.active')}
            hint={t('stores.hint.active')}
          />
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
