import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { assertTransaction } from '~db/database.server';
import type { CouponInstanceStatus } from '~/utils/vocabularies';
import { normalizePhone } from './issue.schema';

export interface InstanceListItem {
  id: number;
  status: string;
  member_id: number;
  phone: string;
  template_id: number;
  template_code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  source_type: string;
  source_ref: string | null;
  tags: string[];
  created_at: Date;
  used_at: Date | null;
  effective_valid_until: Date;
  adjusted_valid_until: Date | null;
}

const SORT_COLUMNS = { id: 'ci.id', status: 'ci.status' } as const;

export interface InstanceListArgs {
  status?: CouponInstanceStatus;
  template?: number;
  phone?: string;
  tag?: string;
  sort: keyof typeof SORT_COLUMNS;
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export async function listInstances(
  db: Db,
  args: InstanceListArgs,
): Promise<{ rows: InstanceListItem[]; total: number }> {
  let base = db
    .selectFrom('coupon_instance as ci')
    .innerJoin('member as m', 'm.id', 'ci.member_id')
    .innerJoin('coupon_template as t', 't.id', 'ci.template_id');
  if (args.status) base = base.where('ci.status', '=', args.status);
  if (args.template) base = base.where('ci.template_id', '=', args.template);
  if (args.phone) {
    // a full phone in any AU-1 spelling matches exactly; a fragment of digits matches by suffix
    const full = normalizePhone(args.phone);
    const digits = args.phone.replace(/\D/g, '');
    if (full) base = base.where('m.phone', '=', full);
    else if (digits) base = base.where('m.phone', 'like', `%${digits}`);
    else base = base.where(sql<boolean>`false`);
  }
  // tags @> array[…] uses the GIN index
  if (args.tag) base = base.where('ci.tags', '@>', sql<string[]>`array[${args.tag}]::text[]`);
  const { total } = await base
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .select([
      'ci.id',
      'ci.status',
      'ci.member_id',
      'm.phone',
      'ci.template_id',
      't.code as template_code',
      't.name_ru',
      't.name_zh',
      't.name_en',
      'ci.source_type',
      'ci.source_ref',
      'ci.tags',
      'ci.created_at',
      'ci.used_at',
      'ci.adjusted_valid_until',
      sql<Date>`coalesce(ci.adjusted_valid_until, t.valid_until)`.as('effective_valid_until'),
    ])
    .orderBy(SORT_COLUMNS[args.sort], args.dir)
    .orderBy('ci.id', args.dir)
    .limit(args.limit)
    .offset(args.offset)
    .execute();
  return { rows, total: Number(total) };
}

/** Templates for the list's filter. */
export async function listTemplateOptions(db: Db) {
  return db
    .selectFrom('coupon_template')
    .select(['id', 'code', 'name_ru', 'name_zh', 'name_en'])
    .orderBy('code')
    .limit(500)
    .execute();
}

export interface ChangedInstance {
  id: number;
  from_status: string;
  to_status: string;
  old_valid_until: Date | null;
  new_valid_until: Date | null;
}

export interface StatusChange {
  ids: number[];
  from: readonly string[];
  to: CouponInstanceStatus;
  action: 'FROZEN' | 'UNFROZEN' | 'REVOKED';
  actorUserId: number;
  reason: string;
}

/**
 * One conditional UPDATE (only rows still in an allowed status change; a batch touches only
 * those, all with the transaction's single now()) and their coupon_audit_log rows.
 */
export async function changeInstanceStatus(trx: Db, c: StatusChange): Promise<ChangedInstance[]> {
  assertTransaction(trx);
  const result = await sql<ChangedInstance>`
    with old as (
      select id, status from coupon_instance
      where id = any(${c.ids}::int[]) and status = any(${c.from}::text[])
      for update
    ), upd as (
      update coupon_instance ci set status = ${c.to}, updated_at = now()
      from old
      where ci.id = old.id and ci.status = any(${c.from}::text[])
      returning ci.id, old.status as from_status, ci.status as to_status
    ), audit as (
      insert into coupon_audit_log
        (coupon_instance_id, action, from_status, to_status, actor_type, actor_user_id, reason)
      select id, ${c.action}, from_status, to_status, 'ADMIN', ${c.actorUserId}, ${c.reason}
      from upd
      returning coupon_instance_id
    )
    select upd.id, upd.from_status, upd.to_status,
      null::timestamptz as old_valid_until, null::timestamptz as new_valid_until
    from upd join audit on audit.coupon_instance_id = upd.id
    order by upd.id
  `.execute(trx);
  return result.rows;
}

export interface ValidityExtension {
  ids: number[];
  validUntil: Date;
  actorUserId: number;
  reason: string;
}

/**
 * CP-14 extend: UNUSED, FROZEN or EXPIRED instances whose effective validity is earlier than the
 * new one get `adjusted_valid_until`; EXPIRED ones become UNUSED. Audit rows keep old and new
 * validity.
 */
export async function extendInstances(trx: Db, e: ValidityExtension): Promise<ChangedInstance[]> {
  assertTransaction(trx);
  const result = await sql<ChangedInstance>`
    with old as (
      select ci.id, ci.status, coalesce(ci.adjusted_valid_until, t.valid_until) as effective
      from coupon_instance ci join coupon_template t on t.id = ci.template_id
      where ci.id = any(${e.ids}::int[]) and ci.status in ('UNUSED', 'FROZEN', 'EXPIRED')
      for update of ci
    ), upd as (
      update coupon_instance ci
      set adjusted_valid_until = ${e.validUntil},
        status = case when ci.status = 'EXPIRED' then 'UNUSED' else ci.status end,
        updated_at = now()
      from old
      where ci.id = old.id
        and ci.status in ('UNUSED', 'FROZEN', 'EXPIRED')
        and ${e.validUntil}::timestamptz > now()
        and ${e.validUntil}::timestamptz > old.effective
      returning ci.id, old.status as from_status, ci.status as to_status,
        old.effective as old_valid_until, ci.adjusted_valid_until as new_valid_until
    ), audit as (
      insert into coupon_audit_log
        (coupon_instance_id, action, from_status, to_status, old_value, new_value,
         actor_type, actor_user_id, reason)
      select id, 'EXTENDED', from_status, to_status,
        jsonb_build_object('valid_until', old_valid_until),
        jsonb_build_object('valid_until', new_valid_until),
        'ADMIN', ${e.actorUserId}, ${e.reason}
      from upd
      returning coupon_instance_id
    )
    select upd.* from upd join audit on audit.coupon_instance_id = upd.id order by upd.id
  `.execute(trx);
  return result.rows;
}
