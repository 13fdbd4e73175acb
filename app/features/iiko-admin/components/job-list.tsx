import { Link } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Input, Label } from '~/components/ui/input';
import { useLang, useT } from '~/i18n/use-t';
import type { SortDir } from '~/utils/search-params';
import {
  IIKO_JOB_STATUSES,
  IIKO_JOB_TYPES,
  type IikoJobStatus,
  type IikoJobType,
} from '~/utils/vocabularies';
import { formatTime } from './format';
import { JobStatusBadge, JobTypeLabel } from './job-badges';

export interface JobListItem {
  id: number;
  jobType: IikoJobType;
  resourceId: string;
  status: IikoJobStatus;
  attemptCount: number;
  maxAttempts: number;
  nextRunAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JobListFilterValues {
  type?: IikoJobType;
  status?: IikoJobStatus;
  resource?: string;
  from?: string;
  to?: string;
}

export function JobList({
  jobs,
  params,
  pagination,
}: {
  jobs: JobListItem[];
  params: { sort: string; dir: SortDir; filters: JobListFilterValues };
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const { filters } = params;
  const columns: DataTableColumn<JobListItem>[] = [
    {
      id: 'id',
      header: '#',
      cell: (j) => (
        <Link
          to={`/admin/iiko/jobs/${j.id}`}
          className="font-mono font-medium text-brand-700 hover:underline"
        >
          {j.id}
        </Link>
      ),
    },
    {
      id: 'type',
      header: t('iikoAdmin.column.type'),
      cell: (j) => <JobTypeLabel type={j.jobType} />,
    },
    {
      id: 'resource',
      header: t('iikoAdmin.column.resource'),
      cell: (j) => <span className="font-mono text-xs">{j.resourceId}</span>,
    },
    {
      id: 'status',
      header: t('iikoAdmin.column.status'),
      cell: (j) => <JobStatusBadge status={j.status} />,
    },
    {
      id: 'attempts',
      header: t('iikoAdmin.column.attempts'),
      align: 'right',
      cell: (j) => `${j.attemptCount}/${j.maxAttempts}`,
    },
    {
      id: 'nextRun',
      header: t('iikoAdmin.column.nextRun'),
      sortKey: 'next_run',
      className: 'whitespace-nowrap',
      cell: (j) => (j.status === 'PENDING' ? formatTime(j.nextRunAt, lang) : '—'),
    },
    {
      id: 'lastError',
      header: t('iikoAdmin.column.lastError'),
      cell: (j) =>
        j.lastError ? (
          <span
            className="line-clamp-2 max-w-xs break-all text-xs text-red-700"
            title={j.lastError}
          >
            {j.lastError}
          </span>
        ) : (
          '—'
        ),
    },
    {
      id: 'created',
      header: t('iikoAdmin.column.created'),
      sortKey: 'created',
      className: 'whitespace-nowrap',
      cell: (j) => formatTime(j.createdAt, lang),
    },
    {
      id: 'updated',
      header: t('iikoAdmin.column.updated'),
      sortKey: 'updated',
      className: 'whitespace-nowrap',
      cell: (j) => formatTime(j.updatedAt, lang),
    },
  ];
  return (
    <>
      <ListFilters>
        <FilterSelect
          name="type"
          label={t('iikoAdmin.column.type')}
          value={filters.type}
          options={IIKO_JOB_TYPES.map((v) => ({ value: v, label: t(`iikoAdmin.type.${v}`) }))}
        />
        <FilterSelect
          name="status"
          label={t('iikoAdmin.column.status')}
          value={filters.status}
          options={IIKO_JOB_STATUSES.map((v) => ({ value: v, label: t(`iikoAdmin.status.${v}`) }))}
        />
        <div className="space-y-1.5">
          <Label htmlFor="iiko-resource">{t('iikoAdmin.column.resource')}</Label>
          <Input
            id="iiko-resource"
            name="resource"
            defaultValue={filters.resource ?? ''}
            placeholder={t('iikoAdmin.filter.resourcePlaceholder')}
          />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="iiko-from">{t('iikoAdmin.filter.from')}</Label>
          <Input id="iiko-from" type="date" name="from" defaultValue={filters.from ?? ''} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="iiko-to">{t('iikoAdmin.filter.to')}</Label>
          <Input id="iiko-to" type="date" name="to" defaultValue={filters.to ?? ''} />
        </div>
      </ListFilters>
      <DataTable
        caption={t('iikoAdmin.jobs.title')}
        columns={columns}
        rows={jobs}
        rowKey={(j) => j.id}
        sort={params}
        pagination={pagination}
      />
    </>
  );
}
