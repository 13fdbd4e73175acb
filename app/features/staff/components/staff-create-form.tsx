import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardFooter, CardHeader } from '~/components/ui/card';
import { Input, Select } from '~/components/ui/input';
import { FormField } from '~/components/forms/form-fields';
import { useT } from '~/i18n/use-t';
import { createStaffSchema, MIN_PASSWORD_LENGTH } from '../staff.schema';

export function StaffCreateForm({
  stores,
  lastResult,
}: {
  stores: { id: number; code: string; name_ru: string; is_active: boolean }[];
  lastResult: SubmissionResult<string[]> | null;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: 'staff-create',
    lastResult,
    defaultValue: { role: 'STORE_MANAGER' },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createStaffSchema }),
  });
  const input = (
    field: Parameters<typeof getInputProps>[0],
    type: 'text' | 'email' | 'password',
  ) => {
    const { key, ...props } = getInputProps(field, { type });
    return (
      <Input key={key} {...props} autoComplete={type === 'password' ? 'new-password' : 'off'} />
    );
  };
  const { key: roleKey, ...roleProps } = getSelectProps(fields.role);
  const { key: storesKey, ...storesProps } = getSelectProps(fields.storeIds);
  return (
    <Card className="mt-8">
      <CardHeader title={t('staff.create.title')} description={t('staff.create.description')} />
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <FormField field={fields.email} label={t('staff.field.email')}>
            {input(fields.email, 'email')}
          </FormField>
          <FormField field={fields.display_name} label={t('staff.field.displayName')}>
            {input(fields.display_name, 'text')}
          </FormField>
          <FormField field={fields.role} label={t('staff.field.role')}>
            <Select key={roleKey} {...roleProps}>
              <option value="STORE_MANAGER">{t('staff.role.STORE_MANAGER')}</option>
              <option value="ADMIN">{t('staff.role.ADMIN')}</option>
            </Select>
          </FormField>
          <FormField
            field={fields.password}
            label={t('staff.field.password')}
            hint={t('staff.hint.password', { min: MIN_PASSWORD_LENGTH })}
          >
            {input(fields.password, 'password')}
          </FormField>
          <FormField
            field={fields.storeIds}
            label={t('staff.field.stores')}
            hint={t('staff.hint.stores')}
            className="space-y-1.5 sm:col-span-2"
          >
            <Select key={storesKey} {...storesProps} multiple className="h-32">
              {stores.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} · {s.name_ru}
                </option>
              ))}
            </Select>
          </FormField>
        </CardBody>
        <CardFooter>
          <Button type="submit" variant="primary" disabled={navigation.state === 'submitting'}>
            {t('staff.create.submit')}
          </Button>
        </CardFooter>
      </Form>
    </Card>
  );
}
