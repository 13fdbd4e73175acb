import { Form, Link, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardFooter, CardHeader } from '~/components/ui/card';
import { useLang, useT } from '~/i18n/use-t';
import { IMPORT_INTENTS, parseMenuImportResult } from '../iiko-admin.schema';
import { formatTime, isUnfinished } from './format';
import { JobStatusBadge } from './job-badges';
import type { JobDetailItem } from './job-detail';
import { MenuImportSummary } from './menu-import-summary';

const STEPS = ['PENDING', 'RUNNING', 'FINISHED'] as const;

function Progress({ job }: { job: JobDetailItem }) {
  const t = useT();
  const current = job.status === 'PENDING' ? 0 : job.status === 'RUNNING' ? 1 : 2;
  return (
    <ol
      className="flex flex-wrap items-center gap-2 text-sm"
      aria-label={t('iikoAdmin.import.progress')}
    >
      {STEPS.map((step, i) => (
        <li
          key={step}
          aria-current={i === current ? 'step' : undefined}
          className={
            i < current
              ? 'text-emerald-700'
              : i === current
                ? 'font-semibold text-stone-900'
                : 'text-stone-400'
          }
        >
          {i > 0 ? <span className="mr-2 text-stone-300">→</span> : null}
          {step === 'FINISHED' && i === current ? (
            <JobStatusBadge status={job.status} />
          ) : (
            t(`iikoAdmin.import.step.${step}`)
          )}
        </li>
      ))}
    </ol>
  );
}

/** "Import menu now" with the import's progress and outcome, and "stop lists now". */
export function ImportPanel({
  resourceId,
  job,
  stopListStores,
  stopLists,
}: {
  resourceId: string;
  job: JobDetailItem | null;
  stopListStores: number;
  stopLists: { enqueued: number; already: number } | null;
}) {
  const t = useT();
  const lang = useLang();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const running = job !== null && isUnfinished(job.status);
  const result = job?.jobType === 'MENU_IMPORT' ? parseMenuImportResult(job.result) : null;
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title={t('iikoAdmin.import.title')}
          description={t('iikoAdmin.import.description', { resource: resourceId })}
          actions={
            <Form method="post" replace>
              <CsrfInput />
              <input type="hidden" name="intent" value={IMPORT_INTENTS.importMenu} />
              <Button type="submit" variant="primary" disabled={busy || running}>
                {t('iikoAdmin.import.button')}
              </Button>
            </Form>
          }
        />
        <CardBody className="space-y-4" aria-live="polite">
          {job === null ? (
            <p className="text-sm text-stone-500">{t('iikoAdmin.import.none')}</p>
          ) : (
            <>
              <div className="flex flex-wrap items-center justify-between gap-3">
                <Progress job={job} />
                <Link
                  to={`/admin/iiko/jobs/${job.id}`}
                  className="text-sm text-brand-700 hover:underline"
                >
                  {t('iikoAdmin.job.heading', { id: job.id })}
                </Link>
              </div>
              <p className="text-sm text-stone-600">
                {t('iikoAdmin.import.attempts', {
                  count: job.attemptCount,
                  max: job.maxAttempts,
                })}
                {' · '}
                {t('iikoAdmin.column.created')}: {formatTime(job.createdAt, lang)}
                {job.finishedAt ? (
                  <>
                    {' · '}
                    {t('iikoAdmin.field.finishedAt')}: {formatTime(job.finishedAt, lang)}
                  </>
                ) : null}
              </p>
              {running ? (
                <p className="text-xs text-stone-500">{t('iikoAdmin.import.refreshing')}</p>
              ) : null}
              {job.status === 'PENDING' && job.lastError ? (
                <Alert tone="warning">
                  {t('iikoAdmin.import.retrying', { at: formatTime(job.nextRunAt, lang) })}
                  <span className="mt-1 block break-all font-mono text-xs">{job.lastError}</span>
                </Alert>
              ) : null}
              {job.status === 'FAILED' || job.status === 'CANCELLED' ? (
                <Alert tone="danger" title={t(`iikoAdmin.status.${job.status}`)}>
                  <span className="break-all font-mono text-xs">{job.lastError ?? '—'}</span>
                </Alert>
              ) : null}
              {job.status === 'COMPLETED' && result ? <MenuImportSummary result={result} /> : null}
            </>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title={t('iikoAdmin.stopLists.title')}
          description={t('iikoAdmin.stopLists.description', { count: stopListStores })}
        />
        {stopLists ? (
          <CardBody>
            <Alert tone="success">
              {t('iikoAdmin.stopLists.done', {
                enqueued: stopLists.enqueued,
                already: stopLists.already,
              })}
            </Alert>
          </CardBody>
        ) : null}
        <CardFooter>
          <Form method="post" replace>
            <CsrfInput />
            <input type="hidden" name="intent" value={IMPORT_INTENTS.stopLists} />
            <Button type="submit" variant="secondary" disabled={busy || stopListStores === 0}>
              {t('iikoAdmin.stopLists.button')}
            </Button>
          </Form>
        </CardFooter>
      </Card>
    </div>
  );
}
