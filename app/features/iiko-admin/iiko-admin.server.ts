import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { fromDecimal, type Kopecks } from '~/utils/money';
import type { IikoJobStatus, IikoJobType } from '~/utils/vocabularies';
import type { JobSortKey } from './iiko-admin.schema';

/**
 * Reads of the iiko sync pages (ADMIN only, RB-1): jobs, their attempts, the stores a stop-list
 * sync targets and the products whose manual override disagrees with iiko (IK-9). Writes live in
 * iiko-admin.service.server.ts and the job queue.
 */

/** Chain-wide lists use Moscow calendar days (C-3). */
export const IIKO_ADMIN_TIME_ZONE = 'Europe/Moscow';

export interface JobFilters {
  type?: IikoJobType;
  status?: IikoJobStatus;
  /** Substring of `resource_id`, case-insensitive (`org:`, `store:12`, `order:345`). */
  resource?: string;
  /** Calendar dates 'YYYY-MM-DD', inclusive, on `created_at` in Moscow time. */
  from?: string;
  to?: string;
}

export interface JobListRow {
  id: number;
  jobType: IikoJobType;
  resourceId: string;
  status: IikoJobStatus;
  priority: number;
  attemptCount: number;
  maxAttempts: number;
  nextRunAt: Date;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns of a JobListRow, also the head of a JobDetail. */
const JOB_LIST_COLUMNS = [
  'j.id',
  'j.job_type as jobType',
  'j.resource_id as resourceId',
  'j.status',
  'j.priority',
  'j.attempt_count as attemptCount',
  'j.max_attempts as maxAttempts',
  'j.next_run_at as nextRunAt',
  'j.last_error as lastError',
  'j.created_at as createdAt',
  'j.updated_at as updatedAt',
] as const;

const SORT_COLUMNS = {
  created: 'j.created_at',
  updated: 'j.updated_at',
  next_run: 'j.next_run_at',
} as const satisfies Record<JobSortKey, string>;

/** LIKE pattern for a substring: the user's % and _ match themselves. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filteredJobs(db: Db, filters: JobFilters) {
  let query = db.selectFrom('iiko_sync_job as j');
  if (filters.type) query = query.where('j.job_type', '=', filters.type);
  if (filters.status) query = query.where('j.status', '=', filters.status);
  if (filters.resource) {
    query = query.where('j.resource_id', 'ilike', containsPattern(filters.resource));
  }
  if (filters.from) {
    query = query.where(
      'j.created_at',
      '>=',
      sql<Date>`(${filters.from}::date)::timestamp at time zone ${IIKO_ADMIN_TIME_ZONE}`,
    );
  }
  if (filters.to) {
    query = query.where(
      'j.created_at',
      '<',
      sql<Date>`(${filters.to}::date + 1)::timestamp at time zone ${IIKO_ADMIN_TIME_ZONE}`,
    );
  }
  return query;
}

/** One page of jobs matching the filters, and how many match in all. */
export async function listJobs(
  db: Db,
  {
    filters = {},
    sort = 'created',
    dir = 'desc',
    limit,
    offset,
  }: {
    filters?: JobFilters;
    sort?: JobSortKey;
    dir?: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ rows: JobListRow[]; total: number }> {
  const [{ total }, rows] = await Promise.all([
    filteredJobs(db, filters)
      .select((eb) => eb.fn.countAll<string>().as('total'))
      .executeTakeFirstOrThrow(),
    filteredJobs(db, filters)
      .select(JOB_LIST_COLUMNS)
      .orderBy(SORT_COLUMNS[sort], dir)
      .orderBy('j.id', dir)
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return {
    rows: rows.map((r) => ({
      ...r,
      jobType: r.jobType as IikoJobType,
      status: r.status as IikoJobStatus,
    })),
    total: Number(total),
  };
}

export interface JobDetail extends JobListRow {
  payload: unknown;
  result: unknown;
  startedAt: Date | null;
  finishedAt: Date | null;
  leaseUntil: Date | null;
  lockedBy: string | null;
  createdByUserId: number | null;
  createdByName: string | null;
}

/** A job with its payload and result, or null. */
export async function getJob(db: Db, id: number): Promise<JobDetail | null> {
  const row = await db
    .selectFrom('iiko_sync_job as j')
    .leftJoin('users as u', 'u.id', 'j.created_by_user_id')
    .select(JOB_LIST_COLUMNS)
    .select([
      'j.payload',
      'j.result',
      'j.started_at as startedAt',
      'j.finished_at as finishedAt',
      'j.lease_until as leaseUntil',
      'j.locked_by as lockedBy',
      'j.created_by_user_id as createdByUserId',
      'u.display_name as createdByName',
    ])
    .where('j.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return { ...row, jobType: row.jobType as IikoJobType, status: row.status as IikoJobStatus };
}

export interface JobAttempt {
  id: number;
  attemptNumber: number;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  success: boolean;
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  requestSummary: string | null;
  responseSummary: string | null;
  correlationId: string | null;
}

/**
 * Every logged attempt of a job (IK-4), oldest first. A manual retry restarts attempt_count at 0,
 * so a retried job can log the same attempt number again under a later id: order by id too.
 */
export function listJobAttempts(db: Db, jobId: number): Promise<JobAttempt[]> {
  return db
    .selectFrom('iiko_sync_log')
    .select([
      'id',
      'attempt_number as attemptNumber',
      'started_at as startedAt',
      'finished_at as finishedAt',
      'duration_ms as durationMs',
      'success',
      'http_status as httpStatus',
      'error_code as errorCode',
      'error_message as errorMessage',
      'request_summary as requestSummary',
      'response_summary as responseSummary',
      'iiko_correlation_id as correlationId',
    ])
    .where('job_id', '=', jobId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

/**
 * The job a new enqueue of (type, resource) would duplicate: the RUNNING one first (it is the
 * one doing the work now), else the PENDING one; null when neither exists.
 */
export async function findActiveJob(
  db: Db,
  type: IikoJobType,
  resourceId: string,
): Promise<{ id: number; status: IikoJobStatus } | null> {
  const row = await db
    .selectFrom('iiko_sync_job')
    .select(['id', 'status'])
    .where('job_type', '=', type)
    .where('resource_id', '=', resourceId)
    .where('status', 'in', ['RUNNING', 'PENDING'])
    .orderBy(sql`status = 'RUNNING'`, 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, status: row.status as IikoJobStatus } : null;
}

/** The newest job of a type for a resource (the import page's default), or null. */
export async function getLatestJobId(
  db: Db,
  type: IikoJobType,
  resourceId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('iiko_sync_job')
    .select('id')
    .where('job_type', '=', type)
    .where('resource_id', '=', resourceId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** IK-2: STOP_LIST runs for every active store mapped to an iiko terminal group. */
export function listStopListStores(db: Db): Promise<{ id: number; code: string }[]> {
  return db
    .selectFrom('store')
    .select(['id', 'code'])
    .where('is_active', '=', true)
    .where('iiko_terminal_group_id', 'is not', null)
    .orderBy('id')
    .execute();
}

export interface OverrideConflict {
  productId: number;
  sku: string;
  nameRu: string;
  basePrice: Kopecks;
  iikoName: string | null;
  iikoPrice: Kopecks | null;
  iikoLastSyncAt: Date | null;
  priceDiffers: boolean;
  nameDiffers: boolean;
}

/** IK-9, verbatim: a NULL iiko value never counts as a difference (`<>` yields NULL). */
const OPEN_CONFLICT = sql<boolean>`p.is_manual_override
  and (p.iiko_price <> p.base_price or p.iiko_name <> p.name_ru)`;

/** One page of products whose manual override disagrees with the last values read from iiko. */
export async function listOverrideConflicts(
  db: Db,
  { limit, offset }: { limit: number; offset: number },
): Promise<{ rows: OverrideConflict[]; total: number }> {
  const base = db.selectFrom('product as p').where(OPEN_CONFLICT);
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    base
      .select([
        'p.id',
        'p.sku',
        'p.name_ru',
        'p.base_price',
        'p.iiko_name',
        'p.iiko_price',
        'p.iiko_last_sync_at',
        sql<boolean>`coalesce(p.iiko_price <> p.base_price, false)`.as('price_differs'),
        sql<boolean>`coalesce(p.iiko_name <> p.name_ru, false)`.as('name_differs'),
      ])
      .orderBy('p.id')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return {
    rows: rows.map((r) => ({
      productId: r.id,
      sku: r.sku,
      nameRu: r.name_ru,
      basePrice: fromDecimal(r.base_price),
      iikoName: r.iiko_name,
      iikoPrice: r.iiko_price === null ? null : fromDecimal(r.iiko_price),
      iikoLastSyncAt: r.iiko_last_sync_at,
      priceDiffers: r.price_differs,
      nameDiffers: r.name_differs,
    })),
    total: Number(total),
  };
}
