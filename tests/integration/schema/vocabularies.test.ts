import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as V from '../../../app/utils/vocabularies';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * C-6: the TypeScript vocabularies (app/utils/vocabularies.ts) and the CHECK constraints
 * `<table>_<column>_check` hold exactly the same values, in the same order.
 */
const GUARDED: [table: string, column: string, values: readonly string[]][] = [
  ['users', 'role', V.USER_ROLES],
  ['session', 'principal_type', V.PRINCIPAL_TYPES],
  ['user_preference', 'language', V.LANGUAGES],
  ['user_preference', 'default_order_type', V.ORDER_TYPES],
  ['verification_code', 'status', V.VERIFICATION_CODE_STATUSES],
  ['audit_log', 'actor_type', V.AUDIT_ACTOR_TYPES],
  ['member_points_history', 'reason', V.POINTS_REASONS],
  ['option_group', 'group_type', V.OPTION_GROUP_TYPES],
  ['option_group', 'selection_type', V.SELECTION_TYPES],
  ['store_product', 'stock_status', V.STOCK_STATUSES],
  ['store_product', 'stock_status_source', V.STOCK_STATUS_SOURCES],
  ['coupon_template', 'type', V.COUPON_TYPES],
  ['coupon_template', 'scope_type', V.COUPON_SCOPE_TYPES],
  ['coupon_instance', 'status', V.COUPON_INSTANCE_STATUSES],
  ['coupon_instance', 'source_type', V.COUPON_SOURCE_TYPES],
  ['coupon_audit_log', 'action', V.COUPON_AUDIT_ACTIONS],
  ['coupon_audit_log', 'from_status', V.COUPON_INSTANCE_STATUSES],
  ['coupon_audit_log', 'to_status', V.COUPON_INSTANCE_STATUSES],
  ['coupon_audit_log', 'actor_type', V.COUPON_AUDIT_ACTOR_TYPES],
  ['campaign', 'type', V.CAMPAIGN_TYPES],
  ['campaign', 'status', V.CAMPAIGN_STATUSES],
  ['influencer', 'status', V.INFLUENCER_STATUSES],
  ['offline_scan_log', 'scan_type', V.SCAN_TYPES],
  ['offline_scan_log', 'match_method', V.MATCH_METHODS],
  ['order', 'order_prefix', V.ORDER_PREFIXES],
  ['order', 'order_type', V.ORDER_TYPES],
  ['order', 'status', V.ORDER_STATUSES],
  ['order', 'payment_method', V.PAYMENT_METHODS],
  ['order', 'payment_status', V.ORDER_PAYMENT_STATUSES],
  ['order', 'payment_provider', V.PAYMENT_PROVIDERS],
  ['order', 'iiko_sync_status', V.ORDER_IIKO_SYNC_STATUSES],
  ['order_number_counter', 'prefix', V.ORDER_PREFIXES],
  ['payment_transaction', 'kind', V.PAYMENT_TRANSACTION_KINDS],
  ['payment_transaction', 'provider', V.PAYMENT_PROVIDERS],
  ['payment_transaction', 'status', V.PAYMENT_TRANSACTION_STATUSES],
  ['idempotency_record', 'status', V.IDEMPOTENCY_STATUSES],
  ['iiko_sync_job', 'job_type', V.IIKO_JOB_TYPES],
  ['iiko_sync_job', 'status', V.IIKO_JOB_STATUSES],
  ['notification', 'channel', V.NOTIFICATION_CHANNELS],
  ['notification', 'recipient_type', V.NOTIFICATION_RECIPIENT_TYPES],
  ['notification', 'type', V.NOTIFICATION_TYPES],
  ['notification', 'status', V.NOTIFICATION_STATUSES],
];

let testDb: TestDatabase;
let definitions: Map<string, string>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'c'
  `.execute(testDb.db);
  definitions = new Map(rows.map((r) => [r.name, r.definition]));
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('vocabulary CHECKs match app/utils/vocabularies.ts', () => {
  it.each(GUARDED)('%s.%s', (table, column, values) => {
    const definition = definitions.get(`${table}_${column}_check`);
    expect(definition, `${table}_${column}_check is missing`).toBeDefined();
    const literals = [...definition!.matchAll(/'([^']*)'/g)].map((m) => m[1]);
    expect(literals).toEqual([...values]);
  });

  it('every vocabulary of the module is listed once with distinct values', () => {
    for (const [, , values] of GUARDED) {
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('REFUND rows never take WAITING_FOR_CAPTURE (payment_transaction_refund_status)', () => {
    expect(V.REFUND_TRANSACTION_STATUSES).not.toContain('WAITING_FOR_CAPTURE');
    expect(definitions.get('payment_transaction_refund_status')).toContain('WAITING_FOR_CAPTURE');
  });

  it('isOneOf narrows only members of the vocabulary', () => {
    expect(V.isOneOf(V.ORDER_STATUSES, 'VOIDED')).toBe(true);
    expect(V.isOneOf(V.ORDER_STATUSES, 'voided')).toBe(false);
    expect(V.isOneOf(V.ORDER_STATUSES, 42)).toBe(false);
  });
});
