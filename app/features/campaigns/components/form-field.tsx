import type { FieldMetadata } from '@conform-to/react';
import type { ReactNode } from 'react';
import { Label } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

/**
 * Label, control, hint and the field's first error (a message key from the zod schema), wired for
 * screen readers with conform's ids. Shared by the campaign and influencer forms.
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

export function FieldError({ id, errors }: { id?: string; errors?: string[] }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-600">
      {t(errors[0] as MessageKey)}
    </p>
  );
}
