import { Badge } from '~/components/ui/badge';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { useLang, useT } from '~/i18n/use-t';
import { formatTime } from './format';

export interface JobAttemptItem {
  id: number;
  attemptNumber: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  success: boolean;
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  requestSummary: string | null;
  responseSummary: string | null;
  correlationId: string | null;
}

function Summary({ label, text }: { label: string; text: string | null }) {
  if (!text) return null;
  return (
    <details className="rounded-md border border-stone-200 bg-stone-50">
      <summary className="cursor-pointer px-3 py-1.5 text-xs font-medium text-stone-700">
        {label}
      </summary>
      <pre className="max-h-80 overflow-auto whitespace-pre-wrap break-all border-t border-stone-200 px-3 py-2 font-mono text-xs text-stone-800">
        {text}
      </pre>
    </details>
  );
}

/** Every logged attempt of a job (IK-4), one row each, summaries folded away. */
export function JobAttempts({ attempts }: { attempts: JobAttemptItem[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <Card>
      <CardHeader title={t('iikoAdmin.attempts.title', { count: attempts.length })} />
      <CardBody className="p-0">
        {attempts.length === 0 ? (
          <p className="px-4 py-4 text-sm text-stone-500">{t('iikoAdmin.attempts.empty')}</p>
        ) : (
          <ol className="divide-y divide-stone-100" aria-label={t('iikoAdmin.attempts.label')}>
            {attempts.map((a) => (
              <li key={a.id} className="space-y-2 px-4 py-3" data-testid="iiko-attempt">
                <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                  <span className="font-medium text-stone-900">
                    {t('iikoAdmin.attempt.number', { n: a.attemptNumber })}
                  </span>
                  {a.success ? (
                    <Badge tone="success">{t('iikoAdmin.attempt.ok')}</Badge>
                  ) : (
                    <Badge tone="danger">{t('iikoAdmin.attempt.failed')}</Badge>
                  )}
                  <span className="text-stone-600">
                    {formatTime(a.startedAt, lang)} → {formatTime(a.finishedAt, lang)}
                  </span>
                  <span className="text-stone-600">
                    {t('iikoAdmin.attempt.duration', { ms: a.durationMs })}
                  </span>
                  <span className="text-stone-600">
                    {t('iikoAdmin.attempt.http', { status: a.httpStatus ?? '—' })}
                  </span>
                </div>
                {a.errorCode || a.errorMessage ? (
                  <p className="break-all text-sm text-red-700">
                    {a.errorCode ? <span className="font-mono">{a.errorCode}</span> : null}
                    {a.errorCode && a.errorMessage ? ': ' : null}
                    {a.errorMessage}
                  </p>
                ) : null}
                {a.correlationId ? (
                  <p className="text-xs text-stone-500">
                    {t('iikoAdmin.attempt.correlation', { id: a.correlationId })}
                  </p>
                ) : null}
                <Summary label={t('iikoAdmin.attempt.request')} text={a.requestSummary} />
                <Summary label={t('iikoAdmin.attempt.response')} text={a.responseSummary} />
              </li>
            ))}
          </ol>
        )}
      </CardBody>
    </Card>
  );
}
