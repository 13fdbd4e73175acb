import { expect } from 'vitest';

/** The 38 tables of domain §1.1, in schema `public`. */
export const EXPECTED_TABLES = [
  'app_setting',
  'audit_log',
  'campaign',
  'campaign_code',
  'category',
  'coupon_audit_log',
  'coupon_instance',
  'coupon_template',
  'delivery_address',
  'delivery_zone',
  'idempotency_record',
  'iiko_sync_job',
  'iiko_sync_log',
  'influencer',
  'member',
  'member_group',
  'member_points_history',
  'notification',
  'offline_scan_log',
  'option_group',
  'option_item',
  'order',
  'order_item',
  'order_item_option',
  'order_number_counter',
  'payment_transaction',
  'product',
  'product_option_group',
  'product_option_item',
  'session',
  'store',
  'store_product',
  'store_staff',
  'telegram_user',
  'translation',
  'user_preference',
  'users',
  'verification_code',
] as const;

const CASTS =
  /::(?:character varying|timestamp with time zone|text|bpchar|numeric|integer|jsonb|boolean|date|uuid|smallint|bigint)(?:\[\])?/g;

/**
 * Reduces a constraint or index definition to a canonical form, so the text of domain §1.2 can be
 * compared with what PostgreSQL prints (`pg_get_constraintdef`, `pg_get_indexdef`): lower case,
 * no casts, no quotes around identifiers, no whitespace or parentheses, `= ANY (ARRAY[…])` read
 * back as `IN (…)`, the `public.` schema and the default btree method dropped.
 */
export function normalizeDefinition(definition: string): string {
  return definition
    .toLowerCase()
    .replace(/'(-?\d+(?:\.\d+)?)'::(?:integer|numeric)/g, '$1')
    .replace(CASTS, '')
    .replace(/"/g, '')
    .replace(/[\s()]/g, '')
    .replace(/=anyarray\[([^\]]*)\]/g, 'in$1')
    .replace(/<>allarray\[([^\]]*)\]/g, 'notin$1')
    .replace(/onpublic\./g, 'on')
    .replace(/usingbtree/g, '');
}

/** Runs `action` and asserts it fails with this SQLSTATE and, when given, this constraint name. */
export async function expectDbError(
  action: () => Promise<unknown>,
  expected: { code: string; constraint?: string },
): Promise<void> {
  let caught: unknown = undefined;
  try {
    await action();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected SQLSTATE ${expected.code}`).toBeInstanceOf(Error);
  const { code, constraint } = caught as { code?: string; constraint?: string };
  expect({ code, constraint: expected.constraint === undefined ? undefined : constraint }).toEqual(
    expected,
  );
}
