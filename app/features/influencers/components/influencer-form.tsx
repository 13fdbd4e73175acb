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
import { FormField } from '~/components/forms/form-fields';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';
import { INFLUENCER_STATUSES } from '~/utils/vocabularies';
import {
  influencerFormSchema,
  SOCIAL_PLATFORMS,
  type InfluencerDetail,
} from '../influencers.schema';

export type InfluencerDefaults = Omit<InfluencerDetail, 'id'>;

export const NEW_INFLUENCER_DEFAULTS: InfluencerDefaults = {
  name: '',
  phone: null,
  email: null,
  social_platform: null,
  social_handle: null,
  follower_count: null,
  commission_rate: '10.00',
  status: 'ACTIVE',
  notes: null,
};

function toFormValue(i: InfluencerDefaults) {
  return {
    name: i.name,
    phone: i.phone ?? '',
    email: i.email ?? '',
    social_platform: i.social_platform ?? '',
    social_handle: i.social_handle ?? '',
    follower_count: i.follower_count === null ? '' : String(i.follower_count),
    commission_rate: i.commission_rate,
    status: i.status,
    notes: i.notes ?? '',
  };
}

export function InfluencerForm({
  influencer,
  lastResult,
  submitLabel,
  intent,
}: {
  influencer: InfluencerDefaults;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: MessageKey;
  intent?: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: toFormValue(influencer),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: influencerFormSchema }),
  });
  const text = (
    field: Parameters<typeof getInputProps>[0],
    type: 'text' | 'tel' | 'email' = 'text',
    extra: Record<string, string> = {},
  ) => {
    const { key, ...props } = getInputProps(field, { type });
    return <Input key={key} {...props} {...extra} />;
  };
  const { key: statusKey, ...statusProps } = getSelectProps(fields.status);
  const { key: notesKey, ...notesProps } = getTextareaProps(fields.notes);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <CsrfInput />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {form.errors?.length ? <Alert tone="danger">{t(form.errors[0] as MessageKey)}</Alert> : null}
      <Card>
        <CardHeader title={t('influencers.section.profile')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField field={fields.name} label={t('influencers.field.name')}>
            {text(fields.name)}
          </FormField>
          <FormField field={fields.status} label={t('influencers.field.status')}>
            <Select key={statusKey} {...statusProps}>
              {INFLUENCER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`influencers.status.${s}`)}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField
            field={fields.phone}
            label={t('influencers.field.phone')}
            hint={t('influencers.hint.phone')}
          >
            {text(fields.phone, 'tel')}
          </FormField>
          <FormField field={fields.email} label={t('influencers.field.email')}>
            {text(fields.email, 'email')}
          </FormField>
          <FormField field={fields.social_platform} label={t('influencers.field.platform')}>
            {text(fields.social_platform, 'text', { list: 'social-platforms' })}
            <datalist id="social-platforms">
              {SOCIAL_PLATFORMS.map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
          </FormField>
          <FormField field={fields.social_handle} label={t('influencers.field.handle')}>
            {text(fields.social_handle)}
          </FormField>
          <FormField field={fields.follower_count} label={t('influencers.field.followers')}>
            {text(fields.follower_count, 'text', { inputMode: 'numeric' })}
          </FormField>
          <FormField
            field={fields.commission_rate}
            label={t('influencers.field.rate')}
            hint={t('influencers.hint.rate')}
          >
            {text(fields.commission_rate, 'text', { inputMode: 'decimal' })}
          </FormField>
          <FormField
            field={fields.notes}
            label={t('influencers.field.notes')}
            className="space-y-1.5 sm:col-span-2"
          >
            <Textarea key={notesKey} rows={3} {...notesProps} />
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
