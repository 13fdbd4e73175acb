import { useSearchParams } from '@remix-run/react';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { useT } from '~/i18n/use-t';
import type { SortDir } from '~/utils/search-params';
import type { ScanListFilterValues } from '../scans-list.params';
import { ScanLog, type ScanLogCounts, type ScanLogRow, type ScanSuggestion } from './scan-log';

export interface ScanLogData {
  rows: ScanLogRow[];
  counts: ScanLogCounts;
  filters: ScanListFilterValues;
  sort: { sort: string; dir: SortDir };
  pagination: { page: number; pageSize: number; total: number };
  suggestions: Record<string, ScanSuggestion[]>;
  timeZone: string;
  stores?: { id: number; code: string }[];
}

export interface ScanActionError {
  code: string;
  scanId: number | null;
}

const NOTICES = { matched: 'scans.notice.matched', unmatched: 'scans.notice.unmatched' } as const;

/** Heading, CSV export, the outcome of the last match / unmatch, and the log itself. */
export function ScanLogPage({
  data,
  description,
  csvHref,
  actionError,
}: {
  data: ScanLogData;
  description: string;
  csvHref: string;
  actionError?: ScanActionError | null;
}) {
  const t = useT();
  const [searchParams] = useSearchParams();
  const notice = searchParams.get('notice');
  const noticeKey = notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null;
  return (
    <>
      <PageHeader
        title={t('scans.title')}
        description={description}
        actions={
          <ButtonLink to={csvHref} reloadDocument variant="secondary">
            {t('scans.export')}
          </ButtonLink>
        }
      />
      {actionError ? (
        <Alert tone="danger" className="mb-4">
          {t(`scans.error.${actionError.code}` as Parameters<typeof t>[0])}
          {actionError.scanId ? ` (${t('scans.scanRef', { id: actionError.scanId })})` : ''}
        </Alert>
      ) : noticeKey ? (
        <Alert tone="success" className="mb-4">
          {t(noticeKey, { id: searchParams.get('scan') ?? '' })}
        </Alert>
      ) : null}
      <ScanLog
        rows={data.rows}
        counts={data.counts}
        filters={data.filters}
        sort={data.sort}
        pagination={data.pagination}
        suggestions={data.suggestions}
        timeZone={data.timeZone}
        stores={data.stores}
      />
    </>
  );
}
