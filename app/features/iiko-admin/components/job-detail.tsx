import { Form } from '@remix-run/react';
import type { ReactNode } from 'react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { useLang, useT } from '~/i18n/use-t';
import type { IikoJobStatus, IikoJobType } from '~/utils/vocabularies';
import { JOB_INTENTS, parseMenuImportResult } from '../iiko-admin.schema';
import { formatTime, prettyJson } from './format';
import { JobStatusBadge, JobTypeLabel } from './job-badges';
import { MenuImportSummary } from './menu-import-summary';

export interface JobDetailItem {
  id: number;
  jobType: IikoJobType;
  resourceId: string;
  status: IikoJobStatus;
  priority: number;
  attemptCount: number;
  maxAttempts: number;
  nextRunAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  payload?: unknown;
  result?: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  leaseUntil: string | null;
  lockedBy: string | null;
  createdByName: string | null;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className="mt-0.5 break-all text-sm text-stone-900">{children}</dd>
    </div>
  );
}

export function JobOverview({ job }: { job: JobDetailItem }) {
  const t = useT();
  const lang = useLang();
  return (
    <Card>
      <CardBody>
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
          <Fact label={t('iikoAdmin.column.type')}>
            <JobTypeLabel type={job.jobType} />
          </Fact>
          <Fact label={t('iikoAdmin.column.resource')}>
            <span className="font-mono text-xs">{job.resourceId}</span>
          </Fact>
          <Fact label={t('iikoAdmin.column.status')}>
            <span data-testid="job-status">
              <JobStatusBadge status={job.status} />
            </span>
          </Fact>
          <Fact label={t('iikoAdmin.column.attempts')}>
            <span data-testid="job-attempts">
              {job.attemptCount}/{job.maxAttempts}
            </span>
          </Fact>
          <Fact label={t('iikoAdmin.field.priority')}>{job.priority}</Fact>
          <Fact label={t('iikoAdmin.column.nextRun')}>
            {job.status === 'PENDING' ? formatTime(job.nextRunAt, lang) : '—'}
          </Fact>
          <Fact label={t('iikoAdmin.field.startedAt')}>{formatTime(job.startedAt, lang)}</Fact>
          <Fact label={t('iikoAdmin.field.finishedAt')}>{formatTime(job.finishedAt, lang)}</Fact>
          <Fact label={t('iikoAdmin.column.created')}>{formatTime(job.createdAt, lang)}</Fact>
          <Fact label={t('iikoAdmin.column.updated')}>{formatTime(job.updatedAt, lang)}</Fact>
          <Fact label={t('iikoAdmin.field.createdBy')}>
            {job.createdByName ?? t('iikoAdmin.field.createdBySystem')}
          </Fact>
          {job.status === 'RUNNING' ? (
            <Fact label={t('iikoAdmin.field.lease')}>
              {job.lockedBy ?? '—'} · {formatTime(job.leaseUntil, lang)}
            </Fact>
          ) : null}
        </dl>
        {job.lastError ? (
          <div className="mt-4">
            <p className="text-xs text-stone-500">{t('iikoAdmin.column.lastError')}</p>
            <p className="mt-0.5 break-all font-mono text-xs text-red-700">{job.lastError}</p>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}

/** Retry (FAILED, not ORDER_PUSH: IK-7) and "run now" (not ORDER_PUSH). */
export function JobActions({ job }: { job: Pick<JobDetailItem, 'jobType' | 'status'> }) {
  const t = useT();
  if (job.jobType === 'ORDER_PUSH') {
    return <p className="text-sm text-stone-500">{t('iikoAdmin.action.orderPushManual')}</p>;
  }
  return (
    <div className="flex gap-2">
      {job.status === 'FAILED' ? (
        <Form method="post" replace>
          <CsrfInput />
          <input type="hidden" name="intent" value={JOB_INTENTS.retry} />
          <Button type="submit" variant="primary">
            {t('iikoAdmin.action.retry')}
          </Button>
        </Form>
      ) : null}
      <Form method="post" replace>
        <CsrfInput />
        <input type="hidden" name="intent" value={JOB_INTENTS.runNow} />
        <Button type="submit" variant="secondary">
          {t('iikoAdmin.action.runNow')}
        </Button>
      </Form>
    </div>
  );
}

function JsonBlock({ value }: { value: unknown }) {
  return (
    <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md bg-stone-50 px-3 py-2 font-mono text-xs text-stone-800">
      {prettyJson(value)}
    </pre>
  );
}

export function JobPayloadAndResult({ job }: { job: JobDetailItem }) {
  const t = useT();
  const importResult = job.jobType === 'MENU_IMPORT' ? parseMenuImportResult(job.result) : null;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader title={t('iikoAdmin.section.payload')} />
        <CardBody>
          <JsonBlock value={job.payload} />
        </CardBody>
      </Card>
      <Card className={importResult ? 'lg:col-span-2' : undefined}>
        <CardHeader title={t('iikoAdmin.section.result')} />
        <CardBody className="space-y-4">
          {job.result === null || job.result === undefined ? (
            <p className="text-sm text-stone-500">{t('iikoAdmin.section.noResult')}</p>
          ) : importResult ? (
            <>
              <MenuImportSummary result={importResult} />
              <details>
                <summary className="cursor-pointer text-xs text-stone-500">
                  {t('iikoAdmin.section.rawResult')}
                </summary>
                <JsonBlock value={job.result} />
              </details>
            </>
          ) : (
            <JsonBlock value={job.result} />
          )}
        </CardBody>
      </Card>
    </div>
  );
}
