import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { useT } from '~/i18n/use-t';
import { categorySchema } from '../menu.schema';
import { CheckboxField, FormErrors, LocalizedFields, TextField } from './form-controls';

export interface CategoryDefaults {
  id?: number;
  code: string;
  name_ru: string;
  name_zh: string;
  name_en: string;
  sort_order: string;
  is_active: boolean;
}

export function CategoryForm({
  intent,
  defaultValue,
  lastResult,
}: {
  intent: string;
  defaultValue: CategoryDefaults;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const t = useT();
  const [form, fields] = useForm({
    id: `category-${defaultValue.id ?? 'new'}`,
    lastResult,
    defaultValue,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: categorySchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {defaultValue.id ? <input type="hidden" name="id" value={defaultValue.id} /> : null}
      <FormErrors errors={form.errors} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField field={fields.code} label={t('menu.field.code')} hint={t('menu.hint.code')} />
        <TextField
          field={fields.sort_order}
          label={t('menu.field.sortOrder')}
          inputMode="numeric"
        />
        <div className="pt-7">
          <CheckboxField field={fields.is_active} label={t('menu.field.isActive')} />
        </div>
      </div>
      <LocalizedFields
        fields={{ ru: fields.name_ru, zh: fields.name_zh, en: fields.name_en }}
        label={t('menu.field.name')}
      />
      <Button type="submit" variant="primary">
        {defaultValue.id ? t('common.save') : t('menu.categories.create')}
      </Button>
    </Form>
  );
}
