import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { normalizeDefinition } from './helpers';

/**
 * Every name of domain §1.2 (and the named rules of §1.3) exists with its definition. Definitions
 * are compared after normalizeDefinition(), i.e. up to casts, whitespace and parentheses.
 */

type Expected =
  | { kind: 'constraint'; table: string; definition: string }
  | { kind: 'index'; table: string; definition: string };

const constraint = (table: string, definition: string): Expected => ({
  kind: 'constraint',
  table,
  definition,
});
/** `definition` is what follows `CREATE [UNIQUE] INDEX name ON table`. */
const index = (table: string, definition: string): Expected => ({
  kind: 'index',
  table,
  definition,
});

/** Domain §1.2, verbatim. */
const SECTION_1_2: Record<string, Expected> = {
  order_points_coupon_mutual_exclusion: constraint(
    'order',
    'CHECK (NOT (points_used > 0 AND coupon_instance_id IS NOT NULL))',
  ),
  order_final_amount_consistency: constraint(
    'order',
    'CHECK (final_amount = total_amount - discount_amount AND final_amount >= 0)',
  ),
  coupon_instance_state_consistency: constraint(
    'coupon_instance',
    "CHECK ((status = 'USED' AND used_at IS NOT NULL AND used_order_id IS NOT NULL) OR (status <> 'USED' AND used_at IS NULL AND used_order_id IS NULL))",
  ),
  idx_coupon_instance_used_order_unique: index(
    'coupon_instance',
    "UNIQUE (used_order_id) WHERE status = 'USED'",
  ),
  idx_points_history_idempotency_unique: index(
    'member_points_history',
    'UNIQUE (idempotency_key) WHERE idempotency_key IS NOT NULL',
  ),
  offline_scan_log_client_event_id_unique: constraint(
    'offline_scan_log',
    'UNIQUE (client_event_id)',
  ),
  idx_offline_scan_code_order_unique: index(
    'offline_scan_log',
    'UNIQUE (campaign_code_id, order_id) WHERE order_id IS NOT NULL',
  ),
  option_group_business_rule: constraint(
    'option_group',
    "CHECK ((group_type IN ('TEMPERATURE','ICE','SUGAR') AND is_required AND selection_type = 'SINGLE') OR (group_type = 'TOPPING' AND NOT is_required AND selection_type = 'MULTI'))",
  ),
  option_item_group_id_id_unique: constraint('option_item', 'UNIQUE (group_id, id)'),
  product_option_group_default_item_fk: constraint(
    'product_option_group',
    'FOREIGN KEY (group_id, default_item_id) REFERENCES option_item (group_id, id) DEFERRABLE INITIALLY DEFERRED',
  ),
  idx_iiko_sync_job_running_unique: index(
    'iiko_sync_job',
    "UNIQUE (job_type, resource_id) WHERE status = 'RUNNING'",
  ),
  idx_iiko_sync_job_pending_unique: index(
    'iiko_sync_job',
    "UNIQUE (job_type, resource_id) WHERE status = 'PENDING'",
  ),
  idx_iiko_sync_job_order_push_unique: index(
    'iiko_sync_job',
    "UNIQUE (resource_id) WHERE job_type = 'ORDER_PUSH'",
  ),
  campaign_code_campaign_influencer_unique: constraint(
    'campaign_code',
    'UNIQUE (campaign_id, influencer_id)',
  ),
  idx_payment_transaction_live_unique: index(
    'payment_transaction',
    "UNIQUE (order_id) WHERE kind = 'PAYMENT' AND status IN ('PENDING','WAITING_FOR_CAPTURE','SUCCEEDED')",
  ),
  payment_transaction_provider_id_unique: constraint(
    'payment_transaction',
    'UNIQUE (provider, provider_payment_id)',
  ),
  idx_verification_code_active_unique: index(
    'verification_code',
    "UNIQUE (phone) WHERE status = 'ACTIVE'",
  ),
  idx_delivery_address_default_unique: index(
    'delivery_address',
    'UNIQUE (member_id) WHERE is_default',
  ),
  idempotency_record_key_unique: constraint(
    'idempotency_record',
    'UNIQUE (scope, principal, idempotency_key)',
  ),
};

/** Named rules of §1.3 (text from the column tables; prose rules written out in SQL). */
const SECTION_1_3: Record<string, Expected> = {
  users_email_lower_unique: index('users', 'UNIQUE (lower(email))'),
  session_principal_consistency: constraint(
    'session',
    "CHECK ((principal_type = 'USER' AND user_id IS NOT NULL AND member_id IS NULL) OR (principal_type = 'MEMBER' AND member_id IS NOT NULL AND user_id IS NULL))",
  ),
  user_preference_owner: constraint(
    'user_preference',
    'CHECK (num_nonnulls(user_id, member_id) = 1)',
  ),
  verification_code_attempts_check: constraint(
    'verification_code',
    'CHECK (attempts >= 0 AND attempts <= 5)',
  ),
  member_phone_check: constraint('member', "CHECK (phone ~ '^\\+7[0-9]{10}$')"),
  member_points_history_order_reason: constraint(
    'member_points_history',
    "CHECK (reason NOT IN ('ORDER_REDEEM','ORDER_EARN','REFUND') OR order_id IS NOT NULL)",
  ),
  member_points_history_admin_actor: constraint(
    'member_points_history',
    "CHECK (reason <> 'ADMIN_ADJUST' OR actor_user_id IS NOT NULL)",
  ),
  member_points_history_delta_check: constraint('member_points_history', 'CHECK (delta <> 0)'),
  telegram_user_link_consistency: constraint(
    'telegram_user',
    'CHECK ((member_id IS NULL) = (linked_at IS NULL))',
  ),
  delivery_address_latitude_check: constraint(
    'delivery_address',
    'CHECK (latitude >= -90 AND latitude <= 90)',
  ),
  delivery_zone_eta_minutes_check: constraint(
    'delivery_zone',
    'CHECK (eta_minutes >= 1 AND eta_minutes <= 240)',
  ),
  coupon_template_current_usage_count_check: constraint(
    'coupon_template',
    'CHECK (current_usage_count >= 0 AND (max_total_usage IS NULL OR current_usage_count <= max_total_usage))',
  ),
  coupon_template_validity: constraint('coupon_template', 'CHECK (valid_from < valid_until)'),
  coupon_template_discount_value_consistency: constraint(
    'coupon_template',
    "CHECK ((type IN ('SIMPLE_PERCENTAGE','SIMPLE_FIXED')) = (discount_value IS NOT NULL))",
  ),
  coupon_template_rule_json_consistency: constraint(
    'coupon_template',
    "CHECK ((type IN ('BOGO','THRESHOLD_OFF','BUY_N_GET_M')) = (rule_json IS NOT NULL))",
  ),
  coupon_template_percent_range: constraint(
    'coupon_template',
    "CHECK (type <> 'SIMPLE_PERCENTAGE' OR discount_value > 0 AND discount_value <= 100)",
  ),
  coupon_template_fixed_positive: constraint(
    'coupon_template',
    "CHECK (type <> 'SIMPLE_FIXED' OR discount_value > 0)",
  ),
  coupon_template_scope_consistency: constraint(
    'coupon_template',
    "CHECK (((scope_type = 'ALL' AND scope_category_ids IS NULL AND scope_product_ids IS NULL) OR (scope_type = 'CATEGORIES' AND scope_product_ids IS NULL AND scope_category_ids IS NOT NULL AND cardinality(scope_category_ids) >= 1) OR (scope_type = 'PRODUCTS' AND scope_category_ids IS NULL AND scope_product_ids IS NOT NULL AND cardinality(scope_product_ids) >= 1)) AND (scope_store_ids IS NULL OR cardinality(scope_store_ids) >= 1))",
  ),
  coupon_template_item_rule_scope: constraint(
    'coupon_template',
    "CHECK (type NOT IN ('BOGO','BUY_N_GET_M') OR scope_type = 'ALL')",
  ),
  coupon_audit_log_admin_reason: constraint(
    'coupon_audit_log',
    "CHECK (actor_type <> 'ADMIN' OR reason IS NOT NULL)",
  ),
  campaign_dates_valid: constraint('campaign', 'CHECK (start_at < end_at)'),
  campaign_code_letter_check: constraint('campaign', "CHECK (code_letter ~ '^[A-Z]$')"),
  campaign_code_code_check: constraint('campaign_code', "CHECK (code ~ '^[A-Z][1-9][0-9]{3}$')"),
  influencer_commission_rate_check: constraint(
    'influencer',
    'CHECK (commission_rate >= 0 AND commission_rate <= 100)',
  ),
  offline_scan_log_match_consistency: constraint(
    'offline_scan_log',
    'CHECK (matched = (order_id IS NOT NULL AND matched_at IS NOT NULL AND match_method IS NOT NULL))',
  ),
  offline_scan_log_matched_by_manual: constraint(
    'offline_scan_log',
    "CHECK (matched_by_user_id IS NULL OR match_method = 'MANUAL')",
  ),
  order_number_format: constraint(
    'order',
    "CHECK (order_number ~ '^[PTKM][0-9]{12,}$' AND left(order_number, 1) = order_prefix)",
  ),
  order_member_required: constraint(
    'order',
    "CHECK (order_prefix NOT IN ('P','T') OR member_id IS NOT NULL)",
  ),
  order_total_consistency: constraint(
    'order',
    'CHECK (total_amount = subtotal_amount + delivery_fee)',
  ),
  order_discount_consistency: constraint(
    'order',
    'CHECK (discount_amount = points_discount + coupon_discount)',
  ),
  order_points_full_deduction: constraint(
    'order',
    'CHECK ((points_used = 0 AND points_discount = 0) OR (points_used > 0 AND points_discount = total_amount AND final_amount = 0))',
  ),
  order_benefits_require_member: constraint(
    'order',
    'CHECK ((points_used = 0 AND coupon_instance_id IS NULL) OR member_id IS NOT NULL)',
  ),
  order_coupon_discount_requires_coupon: constraint(
    'order',
    'CHECK (coupon_instance_id IS NOT NULL OR coupon_discount = 0)',
  ),
  order_payment_method_consistency: constraint(
    'order',
    "CHECK (payment_method = CASE WHEN points_used > 0 THEN 'POINTS' WHEN final_amount > 0 THEN 'ONLINE' ELSE 'NONE' END)",
  ),
  order_delivery_fields: constraint(
    'order',
    "CHECK ((order_type = 'DELIVERY' AND delivery_address IS NOT NULL AND delivery_latitude IS NOT NULL AND delivery_longitude IS NOT NULL) OR (order_type = 'PICKUP' AND delivery_fee = 0))",
  ),
  order_amounts_non_negative: constraint(
    'order',
    'CHECK (subtotal_amount >= 0 AND delivery_fee >= 0 AND total_amount >= 0 AND discount_amount >= 0 AND final_amount >= 0 AND points_discount >= 0 AND coupon_discount >= 0 AND points_used >= 0 AND points_earned >= 0)',
  ),
  order_item_quantity_range: constraint('order_item', 'CHECK (quantity >= 1 AND quantity <= 99)'),
  order_item_line_total: constraint(
    'order_item',
    'CHECK (line_total = (unit_price + options_price) * quantity)',
  ),
  order_item_discount_amount_check: constraint(
    'order_item',
    'CHECK (discount_amount >= 0 AND discount_amount <= line_total)',
  ),
  order_item_order_id_line_no_unique: constraint('order_item', 'UNIQUE (order_id, line_no)'),
  option_item_group_id_code_unique: constraint('option_item', 'UNIQUE (group_id, code)'),
  payment_transaction_order_kind_attempt_unique: constraint(
    'payment_transaction',
    'UNIQUE (order_id, kind, attempt_no)',
  ),
  payment_transaction_parent_consistency: constraint(
    'payment_transaction',
    "CHECK ((kind = 'REFUND') = (parent_id IS NOT NULL))",
  ),
  payment_transaction_amount_check: constraint('payment_transaction', 'CHECK (amount > 0)'),
  payment_transaction_currency_check: constraint('payment_transaction', "CHECK (currency = 'RUB')"),
  idempotency_record_response_check: constraint(
    'idempotency_record',
    "CHECK (status <> 'COMPLETED' OR response_status IS NOT NULL)",
  ),
  iiko_sync_job_attempt_count_check: constraint(
    'iiko_sync_job',
    'CHECK (attempt_count >= 0 AND attempt_count <= max_attempts)',
  ),
  iiko_sync_log_job_id_attempt_number_unique: constraint(
    'iiko_sync_log',
    'UNIQUE (job_id, attempt_number)',
  ),
  iiko_sync_log_request_summary_check: constraint(
    'iiko_sync_log',
    'CHECK (char_length(request_summary) <= 5000)',
  ),
  iiko_sync_log_response_summary_check: constraint(
    'iiko_sync_log',
    'CHECK (char_length(response_summary) <= 5000)',
  ),
  idx_audit_log_entity: index('audit_log', '(entity_type, entity_id, created_at DESC)'),
  idx_audit_log_store_created: index('audit_log', '(store_id, created_at DESC)'),
  idx_verification_code_phone_created: index('verification_code', '(phone, created_at)'),
  idx_verification_code_ip_created: index('verification_code', '(ip_address, created_at)'),
  idx_points_history_member: index('member_points_history', '(member_id, id DESC)'),
  idx_coupon_instance_member_status: index('coupon_instance', '(member_id, status)'),
  idx_coupon_instance_template_status: index('coupon_instance', '(template_id, status)'),
  idx_coupon_instance_tags: index('coupon_instance', 'USING gin (tags)'),
  idx_coupon_audit_log_instance: index('coupon_audit_log', '(coupon_instance_id, id)'),
  idx_offline_scan_log_store_matched: index(
    'offline_scan_log',
    '(store_id, matched, scanned_at DESC)',
  ),
  idx_order_store_created: index('order', '(store_id, created_at DESC)'),
  idx_order_member_created: index('order', '(member_id, created_at DESC)'),
  idx_order_status: index('order', '(status)'),
  idx_order_payment_status: index('order', '(payment_status)'),
  idx_order_store_final_created: index('order', '(store_id, final_amount, created_at)'),
  idx_payment_transaction_created: index('payment_transaction', '(created_at)'),
  idx_payment_transaction_store_created: index('payment_transaction', '(store_id, created_at)'),
  idx_iiko_sync_job_status_next_run: index('iiko_sync_job', '(status, next_run_at, priority)'),
  idx_iiko_sync_log_finished: index('iiko_sync_log', '(finished_at)'),
  idx_iiko_sync_log_success_finished: index('iiko_sync_log', '(success, finished_at)'),
  idx_notification_status_next_attempt: index('notification', '(status, next_attempt_at)'),
};

/**
 * Every CHECK, UNIQUE and plain index name in `public`. A new constraint or index must be added
 * here (and to the report of its migration), so names never appear by accident.
 */
const ALL_CHECKS = `
  audit_log_actor_type_check campaign_budget_amount_check campaign_code_code_check
  campaign_code_letter_check campaign_code_order_count_check campaign_code_scan_count_check
  campaign_code_total_gmv_check campaign_dates_valid campaign_status_check campaign_type_check
  coupon_audit_log_action_check coupon_audit_log_actor_type_check coupon_audit_log_admin_reason
  coupon_audit_log_from_status_check coupon_audit_log_to_status_check
  coupon_instance_source_type_check coupon_instance_state_consistency coupon_instance_status_check
  coupon_template_current_usage_count_check coupon_template_discount_value_consistency
  coupon_template_fixed_positive coupon_template_item_rule_scope
  coupon_template_max_discount_amount_check coupon_template_max_total_usage_check
  coupon_template_max_usage_per_user_check coupon_template_min_order_amount_check
  coupon_template_percent_range coupon_template_rule_json_consistency
  coupon_template_scope_consistency coupon_template_scope_type_check coupon_template_type_check
  coupon_template_validity delivery_address_latitude_check delivery_address_longitude_check
  delivery_zone_eta_minutes_check delivery_zone_fee_check delivery_zone_min_order_amount_check
  delivery_zone_polygon_check idempotency_record_response_check idempotency_record_status_check
  iiko_sync_job_attempt_count_check iiko_sync_job_job_type_check iiko_sync_job_last_error_check
  iiko_sync_job_status_check iiko_sync_log_attempt_number_check iiko_sync_log_duration_ms_check
  iiko_sync_log_error_message_check iiko_sync_log_request_summary_check
  iiko_sync_log_response_summary_check influencer_commission_rate_check
  influencer_follower_count_check influencer_status_check member_available_points_balance_check
  member_group_min_points_required_check member_group_points_multiplier_check member_phone_check
  member_points_history_admin_actor member_points_history_balance_after_check
  member_points_history_delta_check member_points_history_order_reason
  member_points_history_reason_check member_total_points_earned_check notification_channel_check
  notification_recipient_type_check notification_status_check notification_text_check
  notification_type_check offline_scan_log_dup_count_check offline_scan_log_match_consistency
  offline_scan_log_match_method_check offline_scan_log_matched_by_manual
  offline_scan_log_order_amount_check offline_scan_log_scan_type_check option_group_business_rule
  option_group_group_type_check option_group_selection_type_check option_item_price_delta_check
  order_amounts_non_negative order_benefits_require_member order_coupon_discount_requires_coupon
  order_delivery_fields order_discount_consistency order_final_amount_consistency
  order_iiko_sync_status_check order_item_discount_amount_check order_item_line_no_check
  order_item_line_total order_item_option_price_delta_check order_item_prices_non_negative
  order_item_quantity_range order_member_required order_number_counter_last_value_check
  order_number_counter_prefix_check order_number_format order_order_prefix_check
  order_order_type_check order_payment_method_check order_payment_method_consistency
  order_payment_provider_check order_payment_status_check order_points_coupon_mutual_exclusion
  order_points_full_deduction order_status_check order_total_consistency
  payment_transaction_amount_check payment_transaction_attempt_no_check
  payment_transaction_currency_check payment_transaction_kind_check
  payment_transaction_parent_consistency payment_transaction_provider_check
  payment_transaction_refund_status payment_transaction_status_check product_base_price_check
  product_option_item_price_delta_override_check session_principal_consistency
  session_principal_type_check store_product_price_override_check store_product_stock_status_check
  store_product_stock_status_source_check telegram_user_link_consistency
  user_preference_default_order_type_check user_preference_language_check user_preference_owner
  users_role_check verification_code_attempts_check verification_code_status_check`;

const ALL_UNIQUE_CONSTRAINTS = `
  campaign_code_campaign_influencer_unique campaign_code_code_unique campaign_code_unique
  category_code_unique category_iiko_group_id_unique coupon_template_code_unique
  idempotency_record_key_unique iiko_sync_log_job_id_attempt_number_unique
  member_group_code_unique member_group_level_unique member_group_min_points_required_unique
  member_phone_unique notification_dedupe_key_unique offline_scan_log_client_event_id_unique
  option_group_code_unique option_item_group_id_code_unique option_item_group_id_id_unique
  order_iiko_order_id_unique order_item_option_order_item_id_option_item_id_unique
  order_item_order_id_line_no_unique order_order_number_unique order_public_token_unique
  payment_transaction_idempotence_key_unique payment_transaction_order_kind_attempt_unique
  payment_transaction_provider_id_unique product_iiko_product_id_unique
  product_option_group_product_id_group_id_unique product_option_item_product_id_item_id_unique
  product_sku_unique session_token_hash_unique store_code_unique
  store_iiko_terminal_group_id_unique store_product_store_id_product_id_unique
  store_scan_api_key_hash_unique telegram_user_member_id_unique telegram_user_telegram_id_unique
  translation_key_unique user_preference_member_id_unique user_preference_user_id_unique`;

/** Indexes that are not backing a primary key or UNIQUE constraint. */
const ALL_INDEXES = `
  idx_audit_log_entity idx_audit_log_store_created idx_campaign_code_influencer
  idx_coupon_audit_log_instance idx_coupon_instance_member_status idx_coupon_instance_tags
  idx_coupon_instance_template_status idx_coupon_instance_used_order_unique
  idx_delivery_address_default_unique idx_delivery_address_member idx_delivery_zone_store
  idx_idempotency_record_expires idx_iiko_sync_job_order_push_unique
  idx_iiko_sync_job_pending_unique idx_iiko_sync_job_running_unique
  idx_iiko_sync_job_status_next_run idx_iiko_sync_log_finished idx_iiko_sync_log_success_finished
  idx_notification_status_next_attempt idx_offline_scan_code_order_unique
  idx_offline_scan_log_order idx_offline_scan_log_store_matched idx_order_campaign_code
  idx_order_member_created idx_order_payment_status idx_order_status idx_order_store_created
  idx_order_store_final_created idx_payment_transaction_created idx_payment_transaction_live_unique
  idx_payment_transaction_store_created idx_points_history_idempotency_unique
  idx_points_history_member idx_product_category idx_session_member idx_session_user
  idx_store_product_product idx_store_staff_store idx_verification_code_active_unique
  idx_verification_code_ip_created idx_verification_code_phone_created users_email_lower_unique
  idx_iiko_sync_job_failed_retryable idx_iiko_sync_job_pending_type idx_iiko_sync_log_created
  idx_iiko_sync_log_finished_dashboard idx_order_created_dashboard idx_order_item_order_dashboard
  idx_order_updated idx_payment_transaction_dashboard idx_payment_transaction_failed
  idx_payment_transaction_updated`;

const names = (list: string) => list.trim().split(/\s+/).sort();

interface ConstraintRow {
  name: string;
  table: string;
  type: string;
  definition: string;
}
interface IndexRow {
  name: string;
  table: string;
  definition: string;
  backs_constraint: boolean;
}

let testDb: TestDatabase;
let constraints: Map<string, ConstraintRow>;
let indexes: Map<string, IndexRow>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const c = await sql<ConstraintRow>`
    SELECT conname AS name, replace(conrelid::regclass::text, '"', '') AS table,
           contype::text AS type, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  `.execute(testDb.db);
  constraints = new Map(c.rows.map((r) => [r.name, r]));
  const i = await sql<IndexRow>`
    SELECT i.indexname AS name, i.tablename AS table, i.indexdef AS definition,
           EXISTS (SELECT 1 FROM pg_constraint con
                   WHERE con.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
                     AND con.contype IN ('p', 'u')) AS backs_constraint
    FROM pg_indexes i WHERE i.schemaname = 'public'
  `.execute(testDb.db);
  indexes = new Map(i.rows.map((r) => [r.name, r]));
});

afterAll(async () => {
  await testDb?.destroy();
});

function checkDefinition(name: string, expected: Expected): void {
  if (expected.kind === 'constraint') {
    const actual = constraints.get(name);
    expect(actual, `constraint ${name} is missing`).toBeDefined();
    expect(actual!.table).toBe(expected.table);
    expect(normalizeDefinition(actual!.definition)).toBe(normalizeDefinition(expected.definition));
  } else {
    const actual = indexes.get(name);
    expect(actual, `index ${name} is missing`).toBeDefined();
    expect(actual!.table).toBe(expected.table);
    expect(actual!.backs_constraint).toBe(false);
    const unique = expected.definition.startsWith('UNIQUE ');
    const rest = unique ? expected.definition.slice('UNIQUE '.length) : expected.definition;
    const full = `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON "${expected.table}" ${rest}`;
    expect(normalizeDefinition(actual!.definition)).toBe(normalizeDefinition(full));
  }
}

describe('§1.2 names', () => {
  it('lists 19 names', () => {
    expect(Object.keys(SECTION_1_2)).toHaveLength(19);
  });
  it.each(Object.entries(SECTION_1_2))('%s has the §1.2 definition', (name, expected) => {
    checkDefinition(name, expected);
  });
  it('offline_scan_log_client_event_id_unique is a table constraint usable by ON CONFLICT', () => {
    expect(constraints.get('offline_scan_log_client_event_id_unique')?.type).toBe('u');
  });
});

describe('§1.3 named rules and indexes', () => {
  it.each(Object.entries(SECTION_1_3))('%s', (name, expected) => {
    checkDefinition(name, expected);
  });

  it('delivery_zone_polygon_check: an array of at least 3 vertices', () => {
    const def = normalizeDefinition(constraints.get('delivery_zone_polygon_check')!.definition);
    expect(def).toContain("jsonb_typeofpolygon='array'");
    expect(def).toContain('jsonb_array_lengthpolygon>=3');
  });

  it('the store_staff manager rule is a trigger on both tables, named store_staff_user_is_manager', async () => {
    const { rows } = await sql<{ table: string; trigger: string; fn: string }>`
      SELECT tgrelid::regclass::text AS table, tgname AS trigger, tgfoid::regproc::text AS fn
      FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1
    `.execute(testDb.db);
    expect(rows).toEqual([
      {
        table: 'store_staff',
        trigger: 'store_staff_user_is_manager',
        fn: 'store_staff_user_is_manager',
      },
      {
        table: 'users',
        trigger: 'users_role_store_staff_user_is_manager',
        fn: 'store_staff_user_is_manager',
      },
    ]);
  });
});

describe('complete name inventory', () => {
  const ofType = (type: string) =>
    [...constraints.values()]
      .filter((c) => c.type === type)
      .map((c) => c.name)
      .sort();

  it('CHECK constraints', () => {
    expect(ofType('c')).toEqual(names(ALL_CHECKS));
  });
  it('UNIQUE constraints', () => {
    expect(ofType('u')).toEqual(names(ALL_UNIQUE_CONSTRAINTS));
  });
  it('indexes outside primary keys and UNIQUE constraints', () => {
    const plain = [...indexes.values()]
      .filter((i) => !i.backs_constraint)
      .map((i) => i.name)
      .sort();
    expect(plain).toEqual(names(ALL_INDEXES));
  });
  it('C-6: every vocabulary CHECK (column IN (...) or column = literal) is <table>_<column>_check', () => {
    let vocabularies = 0;
    for (const c of constraints.values()) {
      if (c.type !== 'c') continue;
      const column =
        /^CHECK \(\(\(?([a-z_]+)\)?(?:::text)? = (?:ANY \(\(?ARRAY\[[^\]]*\]\)?(?:::text\[\])?\)|'[^']*'::(?:text|bpchar))\)\)$/.exec(
          c.definition,
        )?.[1];
      if (!column) continue;
      vocabularies += 1;
      expect(c.name).toBe(`${c.table}_${column}_check`);
    }
    expect(vocabularies).toBe(43); // the 42 vocabularies of vocabularies.test.ts + currency = 'RUB'
  });
});
