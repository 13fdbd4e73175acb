// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Coupons and influencers (domain §1.3 "Coupons", "Influencers"). The columns that point at
 * "order" (coupon_instance.used_order_id, coupon_audit_log.order_id, offline_scan_log.order_id)
 * get their foreign keys in the orders migration, once "order" exists.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Scope arrays: NULL-safe on purpose (cardinality(NULL) is NULL, which a CHECK would accept).
  await sql`
    CREATE TABLE coupon_template (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code varchar(50) NOT NULL CONSTRAINT coupon_template_code_unique UNIQUE,
      name_ru varchar(100) NOT NULL,
      name_zh varchar(100),
      name_en varchar(100),
      description_ru text NOT NULL,
      description_zh text,
      description_en text,
      type varchar(30) NOT NULL
        CONSTRAINT coupon_template_type_check CHECK (
          type IN ('SIMPLE_PERCENTAGE', 'SIMPLE_FIXED', 'BOGO', 'THRESHOLD_OFF', 'BUY_N_GET_M')
        ),
      discount_value numeric(12,2),
      rule_json jsonb,
      scope_type varchar(20) NOT NULL DEFAULT 'ALL'
        CONSTRAINT coupon_template_scope_type_check
        CHECK (scope_type IN ('ALL', 'CATEGORIES', 'PRODUCTS')),
      scope_category_ids integer[],
      scope_product_ids integer[],
      scope_store_ids integer[],
      min_order_amount numeric(12,2)
        CONSTRAINT coupon_template_min_order_amount_check CHECK (min_order_amount >= 0),
      max_discount_amount numeric(12,2)
        CONSTRAINT coupon_template_max_discount_amount_check CHECK (max_discount_amount > 0),
      max_usage_per_user integer DEFAULT 1
        CONSTRAINT coupon_template_max_usage_per_user_check CHECK (max_usage_per_user >= 1),
      max_total_usage integer
        CONSTRAINT coupon_template_max_total_usage_check CHECK (max_total_usage >= 1),
      current_usage_count integer NOT NULL DEFAULT 0,
      valid_from timestamptz NOT NULL,
      valid_until timestamptz NOT NULL,
      is_active boolean NOT NULL DEFAULT true,
      created_by integer NOT NULL
        CONSTRAINT coupon_template_created_by_fkey REFERENCES users (id) ON DELETE RESTRICT,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT coupon_template_current_usage_count_check CHECK (
        current_usage_count >= 0
        AND (max_total_usage IS NULL OR current_usage_count <= max_total_usage)
      ),
      CONSTRAINT coupon_template_validity CHECK (valid_from < valid_until),
      CONSTRAINT coupon_template_discount_value_consistency CHECK (
        (type IN ('SIMPLE_PERCENTAGE', 'SIMPLE_FIXED')) = (discount_value IS NOT NULL)
      ),
      CONSTRAINT coupon_template_rule_json_consistency CHECK (
        (type IN ('BOGO', 'THRESHOLD_OFF', 'BUY_N_GET_M')) = (rule_json IS NOT NULL)
      ),
      CONSTRAINT coupon_template_percent_range CHECK (
        type <> 'SIMPLE_PERCENTAGE' OR discount_value > 0 AND discount_value <= 100
      ),
      CONSTRAINT coupon_template_fixed_positive CHECK (
        type <> 'SIMPLE_FIXED' OR discount_value > 0
      ),
      CONSTRAINT coupon_template_scope_consistency CHECK (
        (
          (scope_type = 'ALL' AND scope_category_ids IS NULL AND scope_product_ids IS NULL)
          OR (
            scope_type = 'CATEGORIES' AND scope_product_ids IS NULL
            AND scope_category_ids IS NOT NULL AND cardinality(scope_category_ids) >= 1
          )
          OR (
            scope_type = 'PRODUCTS' AND scope_category_ids IS NULL
            AND scope_product_ids IS NOT NULL AND cardinality(scope_product_ids) >= 1
          )
        )
        AND (scope_store_ids IS NULL OR cardinality(scope_store_ids) >= 1)
      ),
      CONSTRAINT coupon_template_item_rule_scope CHECK (
        type NOT IN ('BOGO', 'BUY_N_GET_M') OR scope_type = 'ALL'
      )
    )
  `.execute(db);

  await sql`
    CREATE TABLE coupon_instance (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      template_id integer NOT NULL
        CONSTRAINT coupon_instance_template_id_fkey REFERENCES coupon_template (id) ON DELETE RESTRICT,
      member_id integer NOT NULL
        CONSTRAINT coupon_instance_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      status varchar(20) NOT NULL DEFAULT 'UNUSED'
        CONSTRAINT coupon_instance_status_check
        CHECK (status IN ('UNUSED', 'USED', 'EXPIRED', 'FROZEN', 'REVOKED')),
      used_at timestamptz,
      used_order_id integer,
      source_type varchar(20) NOT NULL
        CONSTRAINT coupon_instance_source_type_check
        CHECK (source_type IN ('ADMIN', 'SIGNUP', 'CAMPAIGN', 'COMPENSATION')),
      source_ref varchar(100),
      tags text[] NOT NULL DEFAULT '{}'::text[],
      adjusted_valid_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT coupon_instance_state_consistency CHECK (
        (status = 'USED' AND used_at IS NOT NULL AND used_order_id IS NOT NULL)
        OR (status <> 'USED' AND used_at IS NULL AND used_order_id IS NULL)
      )
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_coupon_instance_used_order_unique
    ON coupon_instance (used_order_id) WHERE status = 'USED'
  `.execute(db);
  await sql`
    CREATE INDEX idx_coupon_instance_member_status ON coupon_instance (member_id, status)
  `.execute(db);
  await sql`
    CREATE INDEX idx_coupon_instance_template_status ON coupon_instance (template_id, status)
  `.execute(db);
  await sql`CREATE INDEX idx_coupon_instance_tags ON coupon_instance USING gin (tags)`.execute(db);

  // Append-only (C-2): no updated_at.
  await sql`
    CREATE TABLE coupon_audit_log (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      coupon_instance_id integer NOT NULL
        CONSTRAINT coupon_audit_log_coupon_instance_id_fkey
        REFERENCES coupon_instance (id) ON DELETE RESTRICT,
      action varchar(20) NOT NULL
        CONSTRAINT coupon_audit_log_action_check CHECK (
          action IN ('CREATED', 'USED', 'RESTORED', 'EXPIRED', 'FROZEN', 'UNFROZEN', 'REVOKED', 'EXTENDED')
        ),
      from_status varchar(20)
        CONSTRAINT coupon_audit_log_from_status_check
        CHECK (from_status IN ('UNUSED', 'USED', 'EXPIRED', 'FROZEN', 'REVOKED')),
      to_status varchar(20)
        CONSTRAINT coupon_audit_log_to_status_check
        CHECK (to_status IN ('UNUSED', 'USED', 'EXPIRED', 'FROZEN', 'REVOKED')),
      old_value jsonb,
      new_value jsonb,
      actor_type varchar(20) NOT NULL
        CONSTRAINT coupon_audit_log_actor_type_check
        CHECK (actor_type IN ('SYSTEM', 'ADMIN', 'MEMBER')),
      actor_user_id integer
        CONSTRAINT coupon_audit_log_actor_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      order_id integer,
      reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT coupon_audit_log_admin_reason CHECK (actor_type <> 'ADMIN' OR reason IS NOT NULL)
    )
  `.execute(db);
  await sql`
    CREATE INDEX idx_coupon_audit_log_instance ON coupon_audit_log (coupon_instance_id, id)
  `.execute(db);

  await sql`
    CREATE TABLE campaign (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code varchar(30) NOT NULL CONSTRAINT campaign_code_unique UNIQUE,
      name_ru varchar(100) NOT NULL,
      name_zh varchar(100),
      name_en varchar(100),
      description text,
      type varchar(30) NOT NULL
        CONSTRAINT campaign_type_check
        CHECK (type IN ('INFLUENCER', 'PROMOTION', 'SEASONAL', 'PARTNERSHIP')),
      status varchar(20) NOT NULL DEFAULT 'DRAFT'
        CONSTRAINT campaign_status_check CHECK (status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'ENDED')),
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      code_letter char(1) NOT NULL DEFAULT 'A'
        CONSTRAINT campaign_code_letter_check CHECK (code_letter ~ '^[A-Z]$'),
      budget_amount numeric(12,2)
        CONSTRAINT campaign_budget_amount_check CHECK (budget_amount >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT campaign_dates_valid CHECK (start_at < end_at)
    )
  `.execute(db);

  await sql`
    CREATE TABLE influencer (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name varchar(100) NOT NULL,
      phone varchar(16),
      email varchar(254),
      social_platform varchar(30),
      social_handle varchar(100),
      follower_count integer CONSTRAINT influencer_follower_count_check CHECK (follower_count >= 0),
      commission_rate numeric(5,2) NOT NULL DEFAULT 0
        CONSTRAINT influencer_commission_rate_check
        CHECK (commission_rate >= 0 AND commission_rate <= 100),
      status varchar(20) NOT NULL DEFAULT 'ACTIVE'
        CONSTRAINT influencer_status_check CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED')),
      notes text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE campaign_code (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      campaign_id integer NOT NULL
        CONSTRAINT campaign_code_campaign_id_fkey REFERENCES campaign (id) ON DELETE RESTRICT,
      influencer_id integer NOT NULL
        CONSTRAINT campaign_code_influencer_id_fkey REFERENCES influencer (id) ON DELETE RESTRICT,
      code varchar(5) NOT NULL
        CONSTRAINT campaign_code_code_unique UNIQUE
        CONSTRAINT campaign_code_code_check CHECK (code ~ '^[A-Z][1-9][0-9]{3}$'),
      is_active boolean NOT NULL DEFAULT true,
      scan_count integer NOT NULL DEFAULT 0
        CONSTRAINT campaign_code_scan_count_check CHECK (scan_count >= 0),
      order_count integer NOT NULL DEFAULT 0
        CONSTRAINT campaign_code_order_count_check CHECK (order_count >= 0),
      total_gmv numeric(12,2) NOT NULL DEFAULT 0
        CONSTRAINT campaign_code_total_gmv_check CHECK (total_gmv >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT campaign_code_campaign_influencer_unique UNIQUE (campaign_id, influencer_id)
    )
  `.execute(db);
  await sql`CREATE INDEX idx_campaign_code_influencer ON campaign_code (influencer_id)`.execute(db);

  await sql`
    CREATE TABLE offline_scan_log (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      client_event_id uuid NOT NULL,
      campaign_code_id integer NOT NULL
        CONSTRAINT offline_scan_log_campaign_code_id_fkey
        REFERENCES campaign_code (id) ON DELETE RESTRICT,
      store_id integer NOT NULL
        CONSTRAINT offline_scan_log_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      scanned_by varchar(100) NOT NULL,
      scan_type varchar(20) NOT NULL
        CONSTRAINT offline_scan_log_scan_type_check
        CHECK (scan_type IN ('POS', 'CASHIER_APP', 'ADMIN', 'QR')),
      scanned_at timestamptz NOT NULL,
      order_id integer,
      order_amount numeric(12,2)
        CONSTRAINT offline_scan_log_order_amount_check CHECK (order_amount >= 0),
      matched boolean NOT NULL DEFAULT false,
      matched_at timestamptz,
      match_method varchar(20)
        CONSTRAINT offline_scan_log_match_method_check CHECK (match_method IN ('AUTO', 'MANUAL')),
      matched_by_user_id integer
        CONSTRAINT offline_scan_log_matched_by_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      dup_count integer NOT NULL DEFAULT 0
        CONSTRAINT offline_scan_log_dup_count_check CHECK (dup_count >= 0),
      last_dup_at timestamptz,
      reversed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT offline_scan_log_client_event_id_unique UNIQUE (client_event_id),
      CONSTRAINT offline_scan_log_match_consistency CHECK (
        matched = (order_id IS NOT NULL AND matched_at IS NOT NULL AND match_method IS NOT NULL)
      ),
      CONSTRAINT offline_scan_log_matched_by_manual CHECK (
        matched_by_user_id IS NULL OR match_method = 'MANUAL'
      )
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_offline_scan_code_order_unique
    ON offline_scan_log (campaign_code_id, order_id) WHERE order_id IS NOT NULL
  `.execute(db);
  await sql`
    CREATE INDEX idx_offline_scan_log_store_matched
    ON offline_scan_log (store_id, matched, scanned_at DESC)
  `.execute(db);
  // OS-9 reverses attribution by order id.
  await sql`
    CREATE INDEX idx_offline_scan_log_order ON offline_scan_log (order_id) WHERE order_id IS NOT NULL
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE offline_scan_log`.execute(db);
  await sql`DROP TABLE campaign_code`.execute(db);
  await sql`DROP TABLE influencer`.execute(db);
  await sql`DROP TABLE campaign`.execute(db);
  await sql`DROP TABLE coupon_audit_log`.execute(db);
  await sql`DROP TABLE coupon_instance`.execute(db);
  await sql`DROP TABLE coupon_template`.execute(db);
}
