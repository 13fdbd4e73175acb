import { getFormProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useState } from 'react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { Field, Select } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';
import { OPTION_GROUP_TYPES, type OptionGroupType } from '~/utils/vocabularies';
import { optionGroupRule, optionGroupSchema, optionItemSchema } from '../menu.schema';
import {
  CheckboxField,
  FormErrors,
  LocalizedFields,
  TextField,
  useFieldError,
} from './form-controls';

export interface GroupDefaults {
  id?: number;
  code: string;
  name_ru: string;
  name_zh: string;
  name_en: string;
  group_type: string;
  sort_order: string;
}

/** The rule the type implies, in words: the form never lets staff pick it separately. */
export function GroupRuleText({ type }: { type: string }) {
  const t = useT();
  if (!OPTION_GROUP_TYPES.includes(type as OptionGroupType)) return null;
  const rule = optionGroupRule(type as OptionGroupType);
  return (
    <span className="text-xs text-stone-500">
      {t(rule.is_required ? 'menu.groupRule.requiredSingle' : 'menu.groupRule.optionalMulti')}
    </span>
  );
}

export function OptionGroupForm({
  intent,
  defaultValue,
  lastResult,
}: {
  intent: string;
  defaultValue: GroupDefaults;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const t = useT();
  const errorOf = useFieldError();
  const [type, setType] = useState(defaultValue.group_type);
  const [form, fields] = useForm({
    id: `group-${defaultValue.id ?? 'new'}`,
    lastResult,
    defaultValue,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: optionGroupSchema }),
  });
  const { key, ...typeProps } = getSelectProps(fields.group_type);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {defaultValue.id ? <input type="hidden" name="id" value={defaultValue.id} /> : null}
      <FormErrors errors={form.errors} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField field={fields.code} label={t('menu.field.code')} hint={t('menu.hint.code')} />
        <Field
          label={t('menu.field.groupType')}
          hint={<GroupRuleText type={type} />}
          error={errorOf(fields.group_type.errors)}
        >
          {(p) => (
            <Select key={key} {...typeProps} {...p} onChange={(e) => setType(e.target.value)}>
              <option value="">{t('menu.options.chooseType')}</option>
              {OPTION_GROUP_TYPES.map((gt) => (
                <option key={gt} value={gt}>
                  {t(`menu.groupType.${gt}` as MessageKey)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <TextField
          field={fields.sort_order}
          label={t('menu.field.sortOrder')}
          inputMode="numeric"
        />
      </div>
      <LocalizedFields
        fields={{ ru: fields.name_ru, zh: fields.name_zh, en: fields.name_en }}
        label={t('menu.field.name')}
      />
      <Button type="submit" variant="primary">
        {defaultValue.id ? t('common.save') : t('menu.options.createGroup')}
      </Button>
    </Form>
  );
}

export interface ItemDefaults {
  id?: number;
  group_id: string;
  code: string;
  name_ru: string;
  name_zh: string;
  name_en: string;
  price_delta: string;
  is_available: boolean;
  sort_order: string;
}

export function OptionItemForm({
  intent,
  defaultValue,
  lastResult,
}: {
  intent: string;
  defaultValue: ItemDefaults;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const t = useT();
  const [form, fields] = useForm({
    id: defaultValue.id ? `item-${defaultValue.id}` : `item-new-${defaultValue.group_id}`,
    lastResult,
    defaultValue,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: optionItemSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="group_id" value={defaultValue.group_id} />
      {defaultValue.id ? <input type="hidden" name="id" value={defaultValue.id} /> : null}
      <FormErrors errors={form.errors ?? fields.group_id.errors} />
      <div className="grid gap-4 sm:grid-cols-4">
        <TextField field={fields.code} label={t('menu.field.code')} />
        <TextField
          field={fields.price_delta}
          label={t('menu.field.priceDelta')}
          hint={t('menu.hint.rubles')}
          inputMode="decimal"
        />
        <TextField
          field={fields.sort_order}
          label={t('menu.field.sortOrder')}
          inputMode="numeric"
        />
        <div className="pt-7">
          <CheckboxField field={fields.is_available} label={t('menu.field.isAvailable')} />
        </div>
      </div>
      <LocalizedFields
        fields={{ ru: fields.name_ru, zh: fields.name_zh, en: fields.name_en }}
        label={t('menu.field.name')}
      />
      <Button type="submit" variant={defaultValue.id ? 'primary' : 'secondary'}>
        {defaultValue.id ? t('common.save') : t('menu.options.addItem')}
      </Button>
    </Form>
  );
}
