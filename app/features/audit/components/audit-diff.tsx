import { useT } from '~/i18n/use-t';

const MAX_VALUE_CHARS = 120;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value on one line, cut so one long text cannot blow up the table. */
export function compactValue(value: unknown): string {
  if (value === undefined) return '∅';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

export interface DiffLine {
  field: string;
  before?: unknown;
  after?: unknown;
}

/**
 * before/after hold changed fields only (RB-4); the union of their keys gives one line per field.
 * Non-object payloads (never written by writeAudit, but jsonb allows them) become a single line.
 */
export function diffLines(before: unknown, after: unknown): DiffLine[] {
  if ((before != null && !isRecord(before)) || (after != null && !isRecord(after))) {
    return [{ field: '', before: before ?? undefined, after: after ?? undefined }];
  }
  const b = before ?? {};
  const a = after ?? {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return fields.map((field) => ({
    field,
    ...(field in b ? { before: b[field] } : {}),
    ...(field in a ? { after: a[field] } : {}),
  }));
}

/** `field: old → new` lines; a field only in `after` was set, only in `before` was cleared. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const t = useT();
  const lines = diffLines(before, after);
  if (lines.length === 0) {
    return <span className="text-xs text-stone-400">{t('audit.noChanges')}</span>;
  }
  return (
    <dl className="space-y-0.5 font-mono text-xs">
      {lines.map((line) => (
        <div key={line.field} className="flex flex-wrap gap-x-1.5">
          {line.field ? <dt className="text-stone-500">{line.field}:</dt> : null}
          <dd className="break-all">
            {'before' in line ? (
              <span className="text-red-700 line-through decoration-red-300">
                {compactValue(line.before)}
              </span>
            ) : null}
            {'before' in line && 'after' in line ? (
              <span aria-hidden="true" className="px-1 text-stone-400">
                →
              </span>
            ) : null}
            {'after' in line ? (
              <span className="text-emerald-700">{compactValue(line.after)}</span>
            ) : (
              <span className="pl-1 text-stone-400">({t('audit.removed')})</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
