import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { assertTransaction } from '~db/database.server';
import { batchTag } from './issue.schema';

/** The template as the issue page and the issuing guard see it. */
export interface IssueTemplate {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  type: string;
  is_active: boolean;
  valid_from: Date;
  valid_until: Date;
  max_total_usage: number | null;
  current_usage_count: number;
}

export async function getIssueTemplate(db: Db, templateId: number): Promise<IssueTemplate | null> {
  const row = await db
    .selectFrom('coupon_template')
    .select([
      'id',
      'code',
      'name_ru',
      'name_zh',
      'name_en',
      'type',
      'is_active',
      'valid_from',
      'valid_until',
      'max_total_usage',
      'current_usage_count',
    ])
    .where('id', '=', templateId)
    .executeTakeFirst();
  return row ?? null;
}

export type IssueRefusal = 'INACTIVE' | 'EXPIRED' | 'USAGE_LIMIT_REACHED';

/** Why a template cannot be issued now, or null when it can. */
export function issueRefusal(t: IssueTemplate, now: Date = new Date()): IssueRefusal | null {
  if (!t.is_active) return 'INACTIVE';
  if (new Date(t.valid_until).getTime() <= now.getTime()) return 'EXPIRED';
  if (t.max_total_usage !== null && t.current_usage_count >= t.max_total_usage) {
    return 'USAGE_LIMIT_REACHED';
  }
  return null;
}

/** Member ids by phone (phones already normalised); unknown phones are simply absent. */
export async function findMembersByPhones(
  db: Db,
  phones: string[],
): Promise<{ id: number; phone: string }[]> {
  if (phones.length === 0) return [];
  return db
    .selectFrom('member')
    .select(['id', 'phone'])
    .where('phone', '=', sql<string>`any(${phones}::varchar[])`)
    .execute();
}

export interface GroupOption {
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  members: number;
}

export async function listGroupOptions(db: Db): Promise<GroupOption[]> {
  const rows = await db
    .selectFrom('member_group as g')
    .leftJoin('member as m', 'm.group_id', 'g.id')
    .select(['g.code', 'g.name_ru', 'g.name_zh', 'g.name_en', 'g.level'])
    .select((eb) => eb.fn.count<string>('m.id').as('members'))
    .groupBy(['g.id'])
    .orderBy('g.level')
    .execute();
  return rows.map(({ level: _level, members, ...r }) => ({ ...r, members: Number(members) }));
}

/** Ids of the members of a group, ascending; null when the group code is unknown. */
export async function groupMemberIds(db: Db, code: string): Promise<number[] | null> {
  const group = await db
    .selectFrom('member_group')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirst();
  if (!group) return null;
  const rows = await db
    .selectFrom('member')
    .select('id')
    .where('group_id', '=', group.id)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Serialises every transaction of one batch key (two submissions of the same form, a double
 * click): the second waits, then sees the first one's rows and inserts nothing.
 */
export async function lockIssueBatch(trx: Db, batchKey: string): Promise<void> {
  assertTransaction(trx);
  await sql`select pg_advisory_xact_lock(hashtext(${`coupon_issue:${batchKey}`}))`.execute(trx);
}

export interface IssueChunkInput {
  templateId: number;
  memberIds: number[];
  batchKey: string;
  sourceType: string;
  sourceRef: string | null;
  tags: string[];
  actorUserId: number;
  reason: string;
}

/**
 * Inserts the chunk's instances for members who do not yet hold one of this template with the
 * batch tag, and their CREATED audit rows, in one statement. Returns the number created.
 */
export async function insertIssueChunk(trx: Db, input: IssueChunkInput): Promise<number> {
  assertTransaction(trx);
  if (input.memberIds.length === 0) return 0;
  const tag = batchTag(input.batchKey);
  const tags = [...input.tags, tag];
  const result = await sql<{ n: string }>`
    with ins as (
      insert into coupon_instance (template_id, member_id, source_type, source_ref, tags)
      select ${input.templateId}, m.id, ${input.sourceType}, ${input.sourceRef}, ${tags}::text[]
      from unnest(${input.memberIds}::int[]) as m(id)
      where not exists (
        select 1 from coupon_instance ci
        where ci.template_id = ${input.templateId}
          and ci.member_id = m.id
          and ci.tags @> array[${tag}]::text[]
      )
      returning id
    ), audit as (
      insert into coupon_audit_log
        (coupon_instance_id, action, from_status, to_status, actor_type, actor_user_id, reason)
      select ins.id, 'CREATED', null, 'UNUSED', 'ADMIN', ${input.actorUserId}, ${input.reason}
      from ins
      returning coupon_instance_id
    )
    select count(*)::text as n from audit
  `.execute(trx);
  return Number(result.rows[0]?.n ?? 0);
}

/** How many instances of a batch exist (progress of a large issue; committed chunks only). */
export async function countBatchInstances(
  db: Db,
  templateId: number,
  batchKey: string,
): Promise<number> {
  const row = await db
    .selectFrom('coupon_instance')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('template_id', '=', templateId)
    .where('tags', '@>', sql<string[]>`array[${batchTag(batchKey)}]::text[]`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
