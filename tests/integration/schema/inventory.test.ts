import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { EXPECTED_TABLES } from './helpers';

/**
 * Inventory of the migrated schema against domain §1.1 and §1.3: table names, every column with
 * its type, NOT NULL and default, conventions C-1/C-2, foreign keys and the seeded rows.
 */

/**
 * §1.3 columns, one per line: `name type [nn] [=default]`. Types are written as in the domain
 * document (`varchar(n)`, `char(n)`, `tz`, `money` = numeric(12,2)); defaults without casts or
 * quotes. The standard columns (id, created_at, updated_at) are checked by the C-1/C-2 tests.
 */
const COLUMNS: Record<(typeof EXPECTED_TABLES)[number], string> = {
  users: `
    email varchar(254) nn
    password_hash varchar(255) nn
    display_name varchar(100) nn
    role varchar(20) nn
    is_active boolean nn =true
    failed_login_count integer nn =0
    locked_until tz
    last_login_at tz`,
  session: `
    token_hash char(64) nn
    principal_type varchar(10) nn
    user_id integer
    member_id integer
    expires_at tz nn
    last_seen_at tz nn =now()
    revoked_at tz
    ip inet
    user_agent varchar(300)`,
  store_staff: `
    user_id integer nn
    store_id integer nn`,
  user_preference: `
    user_id integer
    member_id integer
    language varchar(2) nn =ru
    notify_order_status boolean nn =true
    default_store_id integer
    default_order_type varchar(20)`,
  verification_code: `
    phone varchar(16) nn
    code_hash char(64) nn
    status varchar(20) nn =ACTIVE
    attempts integer nn =0
    expires_at tz nn
    consumed_at tz
    ip_address inet nn
    user_agent varchar(300)`,
  audit_log: `
    actor_type varchar(20) nn
    actor_user_id integer
    actor_member_id integer
    store_id integer
    action varchar(60) nn
    entity_type varchar(40) nn
    entity_id varchar(64) nn
    before jsonb
    after jsonb
    reason text
    request_id varchar(64)
    ip inet`,
  member: `
    phone varchar(16) nn
    display_name varchar(100) nn
    group_id integer
    available_points_balance integer nn =0
    total_points_earned integer nn =0
    phone_verified_at tz nn
    birthday date
    last_login_at tz
    is_active boolean nn =true`,
  member_group: `
    code varchar(30) nn
    name_ru varchar(50) nn
    name_zh varchar(50)
    name_en varchar(50)
    level integer nn
    points_multiplier numeric(3,2) nn =1.00
    min_points_required integer nn
    benefits jsonb nn =[]`,
  member_points_history: `
    member_id integer nn
    delta integer nn
    balance_after integer nn
    reason varchar(50) nn
    idempotency_key varchar(100)
    order_id integer
    actor_user_id integer
    description text`,
  telegram_user: `
    telegram_id bigint nn
    chat_id bigint nn
    username varchar(64)
    first_name varchar(100)
    last_name varchar(100)
    language_code varchar(10)
    member_id integer
    linked_at tz
    is_blocked boolean nn =false`,
  delivery_address: `
    member_id integer nn
    label varchar(50)
    address_line text nn
    apartment varchar(20)
    entrance varchar(20)
    floor varchar(20)
    intercom varchar(20)
    comment text
    latitude numeric(10,7) nn
    longitude numeric(10,7) nn
    is_default boolean nn =false`,
  store: `
    code varchar(20) nn
    name_ru varchar(100) nn
    name_zh varchar(100)
    name_en varchar(100)
    address_ru text nn
    city varchar(50) nn
    latitude numeric(10,7)
    longitude numeric(10,7)
    phone varchar(16)
    timezone varchar(50) nn =Europe/Moscow
    opening_hours jsonb nn ={}
    is_active boolean nn =true
    pickup_enabled boolean nn =true
    delivery_enabled boolean nn =false
    iiko_terminal_group_id uuid
    telegram_chat_id bigint
    scan_api_key_hash char(64)`,
  category: `
    code varchar(30) nn
    name_ru varchar(100) nn
    name_zh varchar(100)
    name_en varchar(100)
    sort_order integer nn =0
    is_active boolean nn =true
    iiko_group_id uuid`,
  product: `
    sku varchar(50) nn
    category_id integer
    name_ru varchar(200) nn
    name_zh varchar(200)
    name_en varchar(200)
    description_ru text
    description_zh text
    description_en text
    base_price money nn
    image_url text
    is_active boolean nn =true
    is_special_price boolean nn =false
    is_manual_override boolean nn =false
    iiko_product_id uuid
    iiko_price money
    iiko_name varchar(200)
    iiko_last_sync_at tz
    sort_order integer nn =0`,
  option_group: `
    code varchar(30) nn
    name_ru varchar(50) nn
    name_zh varchar(50)
    name_en varchar(50)
    group_type varchar(20) nn
    is_required boolean nn
    selection_type varchar(10) nn
    sort_order integer nn =0
    iiko_group_id uuid`,
  option_item: `
    group_id integer nn
    code varchar(30) nn
    name_ru varchar(50) nn
    name_zh varchar(50)
    name_en varchar(50)
    price_delta money nn =0
    is_available boolean nn =true
    sort_order integer nn =0
    iiko_modifier_id uuid`,
  product_option_group: `
    product_id integer nn
    group_id integer nn
    default_item_id integer
    sort_order integer nn =0`,
  product_option_item: `
    product_id integer nn
    item_id integer nn
    price_delta_override money
    is_available_override boolean`,
  store_product: `
    store_id integer nn
    product_id integer nn
    price_override money
    is_active boolean nn =true
    stock_status varchar(20) nn =IN_STOCK
    stock_status_source varchar(10) nn =MANUAL
    is_special_price boolean nn =false`,
  delivery_zone: `
    store_id integer nn
    name_ru varchar(100) nn
    name_zh varchar(100)
    name_en varchar(100)
    polygon jsonb nn
    fee money nn =0
    min_order_amount money nn =0
    eta_minutes integer nn
    is_active boolean nn =true`,
  translation: `
    key varchar(150) nn
    category varchar(50) nn
    ru text
    zh text
    en text`,
  coupon_template: `
    code varchar(50) nn
    name_ru varchar(100) nn
    name_zh varchar(100)
    name_en varchar(100)
    description_ru text nn
    description_zh text
    description_en text
    type varchar(30) nn
    discount_value numeric(12,2)
    rule_json jsonb
    scope_type varchar(20) nn =ALL
    scope_category_ids integer[]
    scope_product_ids integer[]
    scope_store_ids integer[]
    min_order_amount money
    max_discount_amount money
    max_usage_per_user integer =1
    max_total_usage integer
    current_usage_count integer nn =0
    valid_from tz nn
    valid_until tz nn
    is_active boolean nn =true
    created_by integer nn`,
  coupon_instance: `
    template_id integer nn
    member_id integer nn
    status varchar(20) nn =UNUSED
    used_at tz
    used_order_id integer
    source_type varchar(20) nn
    source_ref varchar(100)
    tags text[] nn ={}
    adjusted_valid_until tz`,
  coupon_audit_log: `
    coupon_instance_id integer nn
    action varchar(20) nn
    from_status varchar(20)
    to_status varchar(20)
    old_value jsonb
    new_value jsonb
    actor_type varchar(20) nn
    actor_user_id integer
    order_id integer
    reason text`,
  campaign: `
    code varchar(30) nn
    name_ru varchar(100) nn
    name_zh varchar(100)
    name_en varchar(100)
    description text
    type varchar(30) nn
    status varchar(20) nn =DRAFT
    start_at tz nn
    end_at tz nn
    code_letter char(1) nn =A
    budget_amount money`,
  influencer: `
    name varchar(100) nn
    phone varchar(16)
    email varchar(254)
    social_platform varchar(30)
    social_handle varchar(100)
    follower_count integer
    commission_rate numeric(5,2) nn =0
    status varchar(20) nn =ACTIVE
    notes text`,
  campaign_code: `
    campaign_id integer nn
    influencer_id integer nn
    code varchar(5) nn
    is_active boolean nn =true
    scan_count integer nn =0
    order_count integer nn =0
    total_gmv money nn =0`,
  offline_scan_log: `
    client_event_id uuid nn
    campaign_code_id integer nn
    store_id integer nn
    scanned_by varchar(100) nn
    scan_type varchar(20) nn
    scanned_at tz nn
    order_id integer
    order_amount money
    matched boolean nn =false
    matched_at tz
    match_method varchar(20)
    matched_by_user_id integer
    dup_count integer nn =0
    last_dup_at tz
    reversed_at tz`,
  order: `
    order_number varchar(50) nn
    order_prefix char(1) nn
    local_date date nn
    order_type varchar(20) nn =DELIVERY
    status varchar(20) nn =PENDING
    member_id integer
    store_id integer nn
    public_token uuid nn =gen_random_uuid()
    customer_name varchar(100)
    customer_phone varchar(16) nn
    subtotal_amount money nn
    delivery_fee money nn =0
    total_amount money nn
    discount_amount money nn =0
    final_amount money nn
    points_used integer nn =0
    points_discount money nn =0
    coupon_instance_id integer
    coupon_discount money nn =0
    points_earned integer nn =0
    payment_method varchar(20) nn
    payment_status varchar(20) nn =PENDING
    payment_provider varchar(20)
    delivery_address_id integer
    delivery_address text
    delivery_note text
    delivery_latitude numeric(10,7)
    delivery_longitude numeric(10,7)
    delivery_zone_id integer
    delivery_eta_minutes integer
    iiko_order_id uuid nn =gen_random_uuid()
    iiko_sync_status varchar(20) nn =PENDING
    iiko_synced_at tz
    campaign_code_id integer
    cancel_reason text
    confirmed_at tz
    completed_at tz
    cancelled_at tz
    refunded_at tz`,
  order_item: `
    order_id integer nn
    product_id integer nn
    line_no smallint nn
    sku varchar(50) nn
    product_name_ru varchar(200) nn
    product_name_zh varchar(200)
    unit_price money nn
    options_price money nn =0
    quantity integer nn
    line_total money nn
    discount_amount money nn =0
    is_special_price boolean nn =false
    iiko_product_id uuid
    position_id uuid nn =gen_random_uuid()`,
  order_item_option: `
    order_item_id integer nn
    option_item_id integer nn
    group_code varchar(30) nn
    group_name_ru varchar(50) nn
    item_code varchar(30) nn
    item_name_ru varchar(50) nn
    item_name_zh varchar(50)
    price_delta money nn
    iiko_modifier_id uuid
    iiko_group_id uuid`,
  order_number_counter: `
    prefix char(1) nn
    local_date date nn
    last_value integer nn`,
  payment_transaction: `
    order_id integer nn
    store_id integer nn
    kind varchar(10) nn
    provider varchar(20) nn
    attempt_no integer nn
    parent_id integer
    provider_payment_id varchar(100)
    idempotence_key varchar(64) nn
    status varchar(30) nn =PENDING
    amount money nn
    currency char(3) nn =RUB
    confirmation_url text
    failure_code varchar(64)
    failure_party varchar(20)
    failure_reason text
    authorized_at tz
    captured_at tz
    canceled_at tz
    failed_at tz
    last_provider_payload jsonb`,
  idempotency_record: `
    scope varchar(50) nn
    principal varchar(64) nn
    idempotency_key varchar(255) nn
    request_hash char(64) nn
    status varchar(20) nn =IN_PROGRESS
    locked_until tz nn
    response_status integer
    response_body jsonb
    resource_type varchar(40)
    resource_id varchar(64)
    expires_at tz nn`,
  iiko_sync_job: `
    job_type varchar(20) nn
    resource_id varchar(100) nn
    status varchar(20) nn =PENDING
    priority integer nn =0
    payload jsonb nn ={}
    result jsonb
    attempt_count integer nn =0
    max_attempts integer nn
    next_run_at tz nn =now()
    started_at tz
    finished_at tz
    lease_until tz
    locked_by varchar(100)
    last_error text
    created_by_user_id integer`,
  iiko_sync_log: `
    job_id integer nn
    attempt_number integer nn
    started_at tz nn
    finished_at tz nn
    duration_ms integer nn
    success boolean nn
    http_status integer
    error_code varchar(100)
    error_message text
    request_summary text
    response_summary text
    iiko_correlation_id uuid`,
  notification: `
    channel varchar(20) nn =TELEGRAM
    recipient_type varchar(20) nn
    chat_id bigint nn
    member_id integer
    store_id integer
    order_id integer
    type varchar(30) nn
    dedupe_key varchar(150) nn
    text text nn
    status varchar(20) nn =PENDING
    attempts integer nn =0
    max_attempts integer nn =5
    next_attempt_at tz nn =now()
    sent_at tz
    provider_message_id bigint
    last_error text`,
  app_setting: `
    key varchar(100) nn
    value jsonb nn
    updated_by_user_id integer`,
};

/** Foreign keys of §1.3 (`→ t` = t(id), RESTRICT unless stated). */
const FOREIGN_KEYS = `
  session.user_id users
  session.member_id member
  store_staff.user_id users cascade
  store_staff.store_id store
  user_preference.user_id users
  user_preference.member_id member
  user_preference.default_store_id store
  audit_log.actor_user_id users
  audit_log.actor_member_id member
  audit_log.store_id store
  member.group_id member_group
  member_points_history.member_id member
  member_points_history.order_id order
  member_points_history.actor_user_id users
  telegram_user.member_id member
  delivery_address.member_id member cascade
  product.category_id category
  option_item.group_id option_group
  product_option_group.product_id product
  product_option_group.group_id option_group
  product_option_item.product_id product
  product_option_item.item_id option_item
  store_product.store_id store
  store_product.product_id product
  delivery_zone.store_id store
  coupon_template.created_by users
  coupon_instance.template_id coupon_template
  coupon_instance.member_id member
  coupon_instance.used_order_id order
  coupon_audit_log.coupon_instance_id coupon_instance
  coupon_audit_log.actor_user_id users
  coupon_audit_log.order_id order
  campaign_code.campaign_id campaign
  campaign_code.influencer_id influencer
  offline_scan_log.campaign_code_id campaign_code
  offline_scan_log.store_id store
  offline_scan_log.order_id order
  offline_scan_log.matched_by_user_id users
  order.member_id member
  order.store_id store
  order.coupon_instance_id coupon_instance
  order.delivery_address_id delivery_address set_null
  order.delivery_zone_id delivery_zone
  order.campaign_code_id campaign_code
  order_item.order_id order
  order_item.product_id product
  order_item_option.order_item_id order_item
  payment_transaction.order_id order
  payment_transaction.store_id store
  payment_transaction.parent_id payment_transaction
  iiko_sync_job.created_by_user_id users
  iiko_sync_log.job_id iiko_sync_job
  notification.member_id member
  notification.store_id store
  notification.order_id order
  app_setting.updated_by_user_id users`;

const NATURAL_KEYS: Record<string, string[]> = {
  store_staff: ['user_id', 'store_id'],
  order_number_counter: ['prefix', 'local_date'],
  app_setting: ['key'],
};
const APPEND_ONLY = ['member_points_history', 'coupon_audit_log', 'audit_log', 'iiko_sync_log'];

const TYPE_NAMES: Record<string, string> = {
  tz: 'timestamp with time zone',
  money: 'numeric(12,2)',
};

function expectedType(spec: string): string {
  return (TYPE_NAMES[spec] ?? spec)
    .replace(/^varchar\((\d+)\)$/, 'character varying($1)')
    .replace(/^char\((\d+)\)$/, 'character($1)');
}

/** `'ru'::character varying` → `ru`; `'{}'::jsonb` → `{}`; `now()` stays. */
function plainDefault(expr: string | null): string | null {
  if (expr === null) return null;
  return expr.replace(/::[a-z ]+(\[\])?$/, '').replace(/^'(.*)'$/, '$1');
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  type: string;
  not_null: boolean;
  default_expr: string | null;
  identity: string;
}

let testDb: TestDatabase;
let columns: ColumnRow[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { rows } = await sql<ColumnRow>`
    SELECT c.relname AS table_name, a.attname AS column_name,
           format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
           pg_get_expr(d.adbin, d.adrelid) AS default_expr, a.attidentity::text AS identity
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum
  `.execute(testDb.db);
  columns = rows;
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('tables (§1.1)', () => {
  it('public holds exactly the 38 tables and nothing else', async () => {
    const { rows } = await sql<{ name: string; kind: string }>`
      SELECT relname AS name, relkind::text AS kind FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'f')
      ORDER BY relname
    `.execute(testDb.db);
    expect(rows.filter((r) => r.kind !== 'r')).toEqual([]);
    expect(rows.map((r) => r.name)).toEqual([...EXPECTED_TABLES].sort());
    expect(rows).toHaveLength(38);
  });

  it('the migrator bookkeeping lives in schema meta, with every migration applied', async () => {
    const { rows: tables } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'meta' ORDER BY table_name
    `.execute(testDb.db);
    expect(tables.map((t) => t.name)).toEqual(['kysely_migration', 'kysely_migration_lock']);
    const { rows: applied } = await sql<{ name: string }>`
      SELECT name FROM meta.kysely_migration ORDER BY name
    `.execute(testDb.db);
    expect(applied.map((m) => m.name)).toEqual([
      '2026112501_access_and_members',
      '2026112502_catalog',
      '2026112503_coupons_and_influencers',
      '2026112504_orders_and_payments',
      '2026112505_integration_and_ops',
      '2026112601_dashboard_indexes',
      '2026112602_dashboard_rollups',
      '2026112701_rate_limits',
    ]);
  });
});

describe('columns (§1.3)', () => {
  it.each([...EXPECTED_TABLES])('%s has exactly the columns of §1.3', (table) => {
    const standard = new Set(['id', 'created_at', 'updated_at']);
    const actual = columns
      .filter((c) => c.table_name === table && !standard.has(c.column_name))
      .map((c) => {
        const def = plainDefault(c.default_expr);
        return [c.column_name, c.type, c.not_null ? 'nn' : '', def === null ? '' : `=${def}`]
          .filter(Boolean)
          .join(' ');
      });
    const expected = COLUMNS[table]
      .trim()
      .split('\n')
      .map((line) => {
        const [name, type, ...rest] = line.trim().split(/\s+/);
        return [name, expectedType(type!), ...rest].join(' ');
      });
    expect(actual).toEqual(expected);
  });

  it('no column uses the PostgreSQL money type; every money value is numeric(12,2)', () => {
    expect(columns.filter((c) => c.type === 'money')).toEqual([]);
  });
});

describe('conventions C-1 and C-2', () => {
  it.each([...EXPECTED_TABLES])('%s: primary key and standard columns', async (table) => {
    const cols = columns.filter((c) => c.table_name === table);
    const byName = new Map(cols.map((c) => [c.column_name, c]));

    const { rows } = await sql<{ columns: string[] }>`
      SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS columns
      FROM pg_constraint con
      CROSS JOIN unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
      WHERE con.contype = 'p' AND con.conrelid = ${`public."${table}"`}::regclass
    `.execute(testDb.db);
    const natural = NATURAL_KEYS[table];
    if (natural) {
      expect(rows[0]?.columns).toEqual(natural);
      expect(byName.has('id')).toBe(false);
    } else {
      expect(rows[0]?.columns).toEqual(['id']);
      expect(byName.get('id')).toMatchObject({ type: 'integer', not_null: true, identity: 'a' });
    }

    const timestamp = { type: 'timestamp with time zone', not_null: true, default_expr: 'now()' };
    expect(byName.get('created_at')).toMatchObject(timestamp);
    if (APPEND_ONLY.includes(table)) {
      expect(byName.has('updated_at')).toBe(false);
    } else {
      expect(byName.get('updated_at')).toMatchObject(timestamp);
    }
  });
});

describe('foreign keys', () => {
  it('exactly the §1.3 references, RESTRICT unless stated', async () => {
    const { rows } = await sql<{ fk: string; deferrable: boolean }>`
      SELECT con.conrelid::regclass::text || '.' || a.attname || ' '
             || replace(con.confrelid::regclass::text, '"', '')
             || CASE con.confdeltype WHEN 'c' THEN ' cascade' WHEN 'n' THEN ' set_null'
                                     WHEN 'r' THEN '' ELSE ' other:' || con.confdeltype::text END AS fk,
             con.condeferrable AS deferrable
      FROM pg_constraint con
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
      WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace
        AND cardinality(con.conkey) = 1
    `.execute(testDb.db);
    const actual = rows.map((r) => r.fk.replace(/^"order"/, 'order')).sort();
    const expected = FOREIGN_KEYS.trim()
      .split('\n')
      .map((l) => l.trim())
      .sort();
    expect(actual).toEqual(expected);
    expect(rows.filter((r) => r.deferrable)).toEqual([]);
  });

  it('the only composite key is product_option_group_default_item_fk', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT conname AS name FROM pg_constraint
      WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND cardinality(conkey) > 1
    `.execute(testDb.db);
    expect(rows.map((r) => r.name)).toEqual(['product_option_group_default_item_fk']);
  });
});

describe('seed rows', () => {
  it('member_group holds the four tiers of §1.3 (PT-9)', async () => {
    const groups = await testDb.db
      .selectFrom('member_group')
      .select(['code', 'name_ru', 'name_zh', 'name_en', 'level', 'points_multiplier'])
      .select(['min_points_required', 'benefits'])
      .orderBy('level')
      .execute();
    expect(groups).toEqual([
      {
        code: 'BRONZE',
        name_ru: 'Бронза',
        name_zh: '青铜',
        name_en: 'Bronze',
        level: 1,
        points_multiplier: '1.00',
        min_points_required: 0,
        benefits: [],
      },
      {
        code: 'SILVER',
        name_ru: 'Серебро',
        name_zh: '白银',
        name_en: 'Silver',
        level: 2,
        points_multiplier: '1.20',
        min_points_required: 5000,
        benefits: [],
      },
      {
        code: 'GOLD',
        name_ru: 'Золото',
        name_zh: '黄金',
        name_en: 'Gold',
        level: 3,
        points_multiplier: '1.50',
        min_points_required: 20000,
        benefits: [],
      },
      {
        code: 'PLATINUM',
        name_ru: 'Платина',
        name_zh: '铂金',
        name_en: 'Platinum',
        level: 4,
        points_multiplier: '2.00',
        min_points_required: 50000,
        benefits: [],
      },
    ]);
  });

  it('app_setting holds the CF-8 defaults as JSON values', async () => {
    const settings = await testDb.db
      .selectFrom('app_setting')
      .select(['key', 'value', 'updated_by_user_id'])
      .orderBy('key')
      .execute();
    expect(Object.fromEntries(settings.map((s) => [s.key, s.value]))).toEqual({
      'points.earn_per_rub': '1.00',
      'points.redeem_points_per_rub': 100,
      'points.signup_bonus': 100,
      'orders.payment_timeout_minutes': 30,
      'sms.per_phone_daily_cap': 10,
      'sms.per_ip_daily_cap': 20,
      'iiko.menu_revision': 0,
      'iiko.menu_import_interval_minutes': 60,
      'iiko.stop_list_interval_minutes': 5,
      'iiko.payment_type_id': null,
      'iiko.discount_type_id': null,
      'payments.receipt_enabled': false,
      'payments.vat_code': 1,
      'alerts.telegram_chat_id': null,
    });
    expect(settings.every((s) => s.updated_by_user_id === null)).toBe(true);
  });

  it('no other table has rows after migrating', async () => {
    const seeded = new Set(['member_group', 'app_setting']);
    for (const table of EXPECTED_TABLES.filter((t) => !seeded.has(t))) {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(table)}
      `.execute(testDb.db);
      expect({ table, rows: rows[0]?.n }).toEqual({ table, rows: 0 });
    }
  });
});
