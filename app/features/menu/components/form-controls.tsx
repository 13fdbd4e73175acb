import { getInputProps, getTextareaProps, type FieldMetadata } from '@conform-to/react';
import type { ReactNode } from 'react';
import { Field, Input, Textarea } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

/** The first error of a field, translated (errors are message keys set by the schema or server). */
export function useFieldError(): (errors: string[] | undefined) => string | undefined {
  const t = useT();
  return (errors) => (errors?.[0] ? t(errors[0] as MessageKey) : undefined);
}

export function TextField({
  field,
  label,
  hint,
  type = 'text',
  inputMode,
  className,
}: {
  field: FieldMetadata<string | number | undefined>;
  label: ReactNode;
  hint?: ReactNode;
  type?: 'text' | 'number' | 'url';
  inputMode?: 'decimal' | 'numeric';
  className?: string;
}) {
  const errorOf = useFieldError();
  const { key, ...props } = getInputProps(field, { type });
  return (
    <Field label={label} hint={hint} error={errorOf(field.errors)} className={className}>
      {(p) => <Input key={key} {...props} {...p} inputMode={inputMode} />}
    </Field>
  );
}

export function TextAreaField({
  field,
  label,
  className,
}: {
  field: FieldMetadata<string | undefined>;
  label: ReactNode;
  className?: string;
}) {
  const errorOf = useFieldError();
  const { key, ...props } = getTextareaProps(field);
  return (
    <Field label={label} error={errorOf(field.errors)} className={className}>
      {(p) => <Textarea key={key} rows={3} {...props} {...p} />}
    </Field>
  );
}

export function CheckboxField({
  field,
  label,
}: {
  field: FieldMetadata<boolean | undefined>;
  label: ReactNode;
}) {
  const { key, ...props } = getInputProps(field, { type: 'checkbox' });
  return (
    <label className="flex items-center gap-2 text-sm text-stone-800">
      <input
        key={key}
        {...props}
        className="h-4 w-4 rounded border-stone-300 text-brand-600 focus:ring-brand-600"
      />
      {label}
    </label>
  );
}

/** Names (or descriptions) in ru / zh / en side by side; ru is required (C-7). */
export function LocalizedFields({
  fields,
  label,
  multiline = false,
}: {
  fields: Record<'ru' | 'zh' | 'en', FieldMetadata<string | undefined>>;
  label: string;
  multiline?: boolean;
}) {
  const t = useT();
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      {(['ru', 'zh', 'en'] as const).map((lang) => {
        const field = fields[lang];
        const text = `${label} (${t(`menu.lang.${lang}`)})`;
        return multiline ? (
          <TextAreaField key={lang} field={field} label={text} />
        ) : (
          <TextField key={lang} field={field} label={text} />
        );
      })}
    </div>
  );
}

/** The form-level message of a reply, or field errors that have no control on this form. */
export function FormErrors({ errors }: { errors: string[] | undefined }) {
  const errorOf = useFieldError();
  const message = errorOf(errors);
  if (!message) return null;
  return (
    <p role="alert" className="text-sm font-medium text-red-600">
      {message}
    </p>
  );
}
