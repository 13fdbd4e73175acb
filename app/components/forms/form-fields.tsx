import { getInputProps, type FieldMetadata } from '@conform-to/react';
import type { ReactNode } from 'react';
import { Label } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

/**
 * Label, control, hint and the field's first error (an i18n key from the zod schema), wired for
 * screen readers; shared by every conform form. The control comes from conform's `getInputProps` etc., which sets id, name,
 * aria-invalid and aria-describedby (`<id>-error` … ids below follow conform's convention).
 */
export function FormField({
  field,
  label,
  hint,
  className,
  children,
}: {
  field: Pick<FieldMetadata<unknown>, 'id' | 'errorId' | 'descriptionId' | 'errors'>;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className ?? 'space-y-1.5'}>
      <Label htmlFor={field.id}>{label}</Label>
      {children}
      {hint ? (
        <p id={field.descriptionId} className="text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** The first error of a field, translated (errors are message keys). */
export function FieldError({ id, errors }: { id?: string; errors?: string[] }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-600">
      {t(errors[0] as MessageKey)}
    </p>
  );
}

/** A checkbox with its label to the right. */
export function CheckboxField({
  field,
  label,
  hint,
}: {
  field: FieldMetadata<boolean | undefined>;
  label: ReactNode;
  hint?: ReactNode;
}) {
  const { key, ...props } = getInputProps(field, { type: 'checkbox' });
  return (
    <div className="flex items-start gap-2">
      <input
        key={key}
        {...props}
        className="mt-0.5 h-4 w-4 rounded border-stone-300 text-brand-600 focus:ring-brand-600"
      />
      <div>
        <label htmlFor={field.id} className="text-sm font-medium text-stone-800">
          {label}
        </label>
        {hint ? <p className="text-xs text-stone-500">{hint}</p> : null}
      </div>
    </div>
  );
}
