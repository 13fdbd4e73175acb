import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardFooter, CardHeader } from '~/components/ui/card';
import { Input, Select, Textarea } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';
import { toDecimal } from '~/utils/money';
import { CAMPAIGN_TYPES } from '~/utils/vocabularies';
import { toZonedLocal } from '../campaign-time';
import { campaignFormSchema, CODE_LETTERS, type CampaignDetail } from '../campaigns.schema';
import { FormField } from '~/components/forms/form-fields';

export type CampaignDefaults = Omit<CampaignDetail, 'id' | 'status'>;

/** A new campaign: influencer type, letter A, from the next midnight (Moscow) for 30 days. */
export function newCampaignDefaults(now = new Date()): CampaignDefaults {
  const day = 24 * 3_600_000;
  const startLocal = `${toZonedLocal(new Date(now.getTime() + day)).slice(0, 10)}T00:00`;
  const endLocal = `${toZonedLocal(new Date(now.getTime() + 31 * day)).slice(0, 10)}T00:00`;
  return {
    code: '',
    name_ru: '',
    name_zh: null,
    name_en: null,
    description: null,
    type: 'INFLUENCER',
    // kept as wall-clock strings; toFormValue passes them through
    start_at: startLocal,
    end_at: endLocal,
    code_letter: 'A',
    budget_kopecks: null,
  };
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

function toFormValue(c: CampaignDefaults) {
  return {
    code: c.code,
    name_ru: c.name_ru,
    name_zh: c.name_zh ?? '',
    name_en: c.name_en ?? '',
    description: c.description ?? '',
    type: c.type,
    start_at: LOCAL.test(c.start_at) ? c.start_at : toZonedLocal(c.start_at),
    end_at: LOCAL.test(c.end_at) ? c.end_at : toZonedLocal(c.end_at),
    code_letter: c.code_letter,
    budget: c.budget_kopecks === null ? '' : toDecimal(c.budget_kopecks),
  };
}

export function CampaignForm({
  campaign,
  lastResult,
  submitLabel,
  intent,
}: {
  campaign: CampaignDefaults;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: MessageKey;
  /** Set on pages whose action has several intents. */
  intent?: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: toFormValue(campaign),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: campaignFormSchema }),
  });
  const text = (
    field: Parameters<typeof getInputProps>[0],
    type: 'text' | 'datetime-local' = 'text',
    extra: Record<string, string> = {},
  ) => {
    const { key, ...props } = getInputProps(field, { type });
    return <Input key={key} {...props} {...extra} />;
  };
  const select = (field: Parameters<typeof getSelectProps>[0], options: [string, string][]) => {
    const { key, ...props } = getSelectProps(field);
    return (
      <Select key={key} {...props}>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
    );
  };
  const { key: descriptionKey, ...descriptionProps } = getTextareaProps(fields.description);

  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <CsrfInput />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {form.errors?.length ? <Alert tone="danger">{t(form.errors[0] as MessageKey)}</Alert> : null}
      <Card>
        <CardHeader title={t('campaigns.section.details')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField
            field={fields.code}
            label={t('campaigns.field.code')}
            hint={t('campaigns.hint.code')}
          >
            {text(fields.code)}
          </FormField>
          <FormField field={fields.type} label={t('campaigns.field.type')}>
            {select(
              fields.type,
              CAMPAIGN_TYPES.map((type) => [type, t(`campaigns.type.${type}`)]),
            )}
          </FormField>
          <FormField field={fields.name_ru} label={t('campaigns.field.nameRu')}>
            {text(fields.name_ru)}
          </FormField>
          <FormField field={fields.name_zh} label={t('campaigns.field.nameZh')}>
            {text(fields.name_zh)}
          </FormField>
          <FormField field={fields.name_en} label={t('campaigns.field.nameEn')}>
            {text(fields.name_en)}
          </FormField>
          <FormField
            field={fields.code_letter}
            label={t('campaigns.field.codeLetter')}
            hint={t('campaigns.hint.codeLetter')}
          >
            {select(
              fields.code_letter,
              CODE_LETTERS.map((l) => [l, l]),
            )}
          </FormField>
          <FormField
            field={fields.start_at}
            label={t('campaigns.field.startAt')}
            hint={t('campaigns.hint.dates')}
          >
            {text(fields.start_at, 'datetime-local')}
          </FormField>
          <FormField field={fields.end_at} label={t('campaigns.field.endAt')}>
            {text(fields.end_at, 'datetime-local')}
          </FormField>
          <FormField
            field={fields.budget}
            label={t('campaigns.field.budget')}
            hint={t('campaigns.hint.budget')}
          >
            {text(fields.budget, 'text', { inputMode: 'decimal' })}
          </FormField>
          <FormField
            field={fields.description}
            label={t('campaigns.field.description')}
            className="space-y-1.5 sm:col-span-2"
          >
            <Textarea key={descriptionKey} rows={3} {...descriptionProps} />
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
