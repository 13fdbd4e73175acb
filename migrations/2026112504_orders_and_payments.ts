// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Orders and payments (domain §1.3 "Orders and payments"), then the foreign keys of earlier tables
 * that point at "order" (a reserved word, always quoted: C-9).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE "order" (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      order_number varchar(50) NOT NULL CONSTRAINT order_order_number_unique UNIQUE,
      order_prefix char(1) NOT NULL
        CONSTRAINT order_order_prefix_check CHECK (order_prefix IN ('P', 'T', 'K', 'M')),
      local_date date NOT NULL,
      order_type varchar(20) NOT NULL DEFAULT 'DELIVERY'
        CONSTRAINT order_order_type_check CHECK (order_type IN ('DELIVERY', 'PICKUP')),
      status varchar(20) NOT NULL DEFAULT 'PENDING'
        CONSTRAINT order_status_check CHECK (
          status IN ('PENDING', 'CONFIRMED', 'PREPARING', 'READY', 'DELIVERING', 'COMPLETED',
                     'CANCELLED', 'VOIDED', 'REFUNDED')
        ),
      member_id integer CONSTRAINT order_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      store_id integer NOT NULL
        CONSTRAINT order_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      public_token uuid NOT NULL DEFAULT gen_random_uuid()
        CONSTRAINT order_public_token_unique UNIQUE,
      customer_name varchar(100),
      customer_phone varchar(16) NOT NULL,
      subtotal_amount numeric(12,2) NOT NULL,
      delivery_fee numeric(12,2) NOT NULL DEFAULT 0,
      total_amount numeric(12,2) NOT NULL,
      discount_amount numeric(12,2) NOT NULL DEFAULT 0,
      final_amount numeric(12,2) NOT NULL,
      points_used integer NOT NULL DEFAULT 0,
      points_discount numeric(12,2) NOT NULL DEFAULT 0,
      coupon_instance_id integer
        CONSTRAINT order_coupon_instance_id_fkey REFERENCES coupon_instance (id) ON DELETE RESTRICT,
      coupon_discount numeric(12,2) NOT NULL DEFAULT 0,
      points_earned integer NOT NULL DEFAULT 0,
      payment_method varchar(20) NOT NULL
        CONSTRAINT order_payment_method_check CHECK (payment_method IN ('ONLINE', 'POINTS', 'NONE')),
      payment_status varchar(20) NOT NULL DEFAULT 'PENDING'
        CONSTRAINT order_payment_status_check CHECK (
          payment_status IN ('PENDING', 'WAITING_FOR_CAPTURE', 'SUCCEEDED', 'CANCELED', 'FAILED',
                             'REFUNDED', 'NOT_REQUIRED')
        ),
      payment_provider varchar(20)
        CONSTRAINT order_payment_provider_check CHECK (payment_provider IN ('YOOKASSA')),
      delivery_address_id integer
        CONSTRAINT order_delivery_address_id_fkey
        REFERENCES delivery_address (id) ON DELETE SET NULL,
      delivery_address text,
      delivery_note text,
      delivery_latitude numeric(10,7),
      delivery_longitude numeric(10,7),
      delivery_zone_id integer
        CONSTRAINT order_delivery_zone_id_fkey REFERENCES delivery_zone (id) ON DELETE RESTRICT,
      delivery_eta_minutes integer,
      iiko_order_id uuid NOT NULL DEFAULT gen_random_uuid()
        CONSTRAINT order_iiko_order_id_unique UNIQUE,
      iiko_sync_status varchar(20) NOT NULL DEFAULT 'PENDING'
        CONSTRAINT order_iiko_sync_status_check
        CHECK (iiko_sync_status IN ('PENDING', 'SYNCED', 'FAILED', 'SKIPPED')),
      iiko_synced_at timestamptz,
      campaign_code_id integer
        CONSTRAINT order_campaign_code_id_fkey REFERENCES campaign_code (id) ON DELETE RESTRICT,
      cancel_reason text,
      confirmed_at timestamptz,
      completed_at timestamptz,
      cancelled_at timestamptz,
      refunded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT order_number_format CHECK (
        order_number ~ '^[PTKM][0-9]{12,}$' AND left(order_number, 1) = order_prefix
      ),
      CONSTRAINT order_member_required CHECK (order_prefix NOT IN ('P', 'T') OR member_id IS NOT NULL),
      CONSTRAINT order_total_consistency CHECK (total_amount = subtotal_amount + delivery_fee),
      CONSTRAINT order_discount_consistency CHECK (
        discount_amount = points_discount + coupon_discount
      ),
      CONSTRAINT order_final_amount_consistency CHECK (
        final_amount = total_amount - discount_amount AND final_amount >= 0
      ),
      CONSTRAINT order_points_coupon_mutual_exclusion CHECK (
        NOT (points_used > 0 AND coupon_instance_id IS NOT NULL)
      ),
      CONSTRAINT order_points_full_deduction CHECK (
        (points_used = 0 AND points_discount = 0)
        OR (points_used > 0 AND points_discount = total_amount AND final_amount = 0)
      ),
      CONSTRAINT order_benefits_require_member CHECK (
        (points_used = 0 AND coupon_instance_id IS NULL) OR member_id IS NOT NULL
      ),
      CONSTRAINT order_coupon_discount_requires_coupon CHECK (
        coupon_instance_id IS NOT NULL OR coupon_discount = 0
      ),
      CONSTRAINT order_payment_method_consistency CHECK (
        payment_method = CASE
          WHEN points_used > 0 THEN 'POINTS'
          WHEN final_amount > 0 THEN 'ONLINE'
          ELSE 'NONE'
        END
      ),
      CONSTRAINT order_delivery_fields CHECK (
        (order_type = 'DELIVERY' AND delivery_address IS NOT NULL
          AND delivery_latitude IS NOT NULL AND delivery_longitude IS NOT NULL)
        OR (order_type = 'PICKUP' AND delivery_fee = 0)
      ),
      CONSTRAINT order_amounts_non_negative CHECK (
        subtotal_amount >= 0 AND delivery_fee >= 0 AND total_amount >= 0 AND discount_amount >= 0
        AND final_amount >= 0 AND points_discount >= 0 AND coupon_discount >= 0
        AND points_used >= 0 AND points_earned >= 0
      )
    )
  `.execute(db);
  await sql`CREATE INDEX idx_order_store_created ON "order" (store_id, created_at DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX idx_order_member_created ON "order" (member_id, created_at DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX idx_order_status ON "order" (status)`.execute(db);
  await sql`CREATE INDEX idx_order_payment_status ON "order" (payment_status)`.execute(db);
  await sql`
    CREATE INDEX idx_order_store_final_created ON "order" (store_id, final_amount, created_at)
  `.execute(db);
  // Campaign reports (OS-8) read attributed orders by code.
  await sql`
    CREATE INDEX idx_order_campaign_code ON "order" (campaign_code_id)
    WHERE campaign_code_id IS NOT NULL
  `.execute(db);

  await sql`
    CREATE TABLE order_item (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      order_id integer NOT NULL
        CONSTRAINT order_item_order_id_fkey REFERENCES "order" (id) ON DELETE RESTRICT,
      product_id integer NOT NULL
        CONSTRAINT order_item_product_id_fkey REFERENCES product (id) ON DELETE RESTRICT,
      line_no smallint NOT NULL CONSTRAINT order_item_line_no_check CHECK (line_no >= 1),
      sku varchar(50) NOT NULL,
      product_name_ru varchar(200) NOT NULL,
      product_name_zh varchar(200),
      unit_price numeric(12,2) NOT NULL,
      options_price numeric(12,2) NOT NULL DEFAULT 0,
      quantity integer NOT NULL,
      line_total numeric(12,2) NOT NULL,
      discount_amount numeric(12,2) NOT NULL DEFAULT 0,
      is_special_price boolean NOT NULL DEFAULT false,
      iiko_product_id uuid,
      position_id uuid NOT NULL DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT order_item_order_id_line_no_unique UNIQUE (order_id, line_no),
      CONSTRAINT order_item_prices_non_negative CHECK (unit_price >= 0 AND options_price >= 0),
      CONSTRAINT order_item_quantity_range CHECK (quantity >= 1 AND quantity <= 99),
      CONSTRAINT order_item_line_total CHECK (line_total = (unit_price + options_price) * quantity),
      CONSTRAINT order_item_discount_amount_check CHECK (
        discount_amount >= 0 AND discount_amount <= line_total
      )
    )
  `.execute(db);

  await sql`
    CREATE TABLE order_item_option (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      order_item_id integer NOT NULL
        CONSTRAINT order_item_option_order_item_id_fkey
        REFERENCES order_item (id) ON DELETE RESTRICT,
      option_item_id integer NOT NULL,
      group_code varchar(30) NOT NULL,
      group_name_ru varchar(50) NOT NULL,
      item_code varchar(30) NOT NULL,
      item_name_ru varchar(50) NOT NULL,
      item_name_zh varchar(50),
      price_delta numeric(12,2) NOT NULL
        CONSTRAINT order_item_option_price_delta_check CHECK (price_delta >= 0),
      iiko_modifier_id uuid,
      iiko_group_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT order_item_option_order_item_id_option_item_id_unique
        UNIQUE (order_item_id, option_item_id)
    )
  `.execute(db);

  await sql`
    CREATE TABLE order_number_counter (
      prefix char(1) NOT NULL
        CONSTRAINT order_number_counter_prefix_check CHECK (prefix IN ('P', 'T', 'K', 'M')),
      local_date date NOT NULL,
      last_value integer NOT NULL CONSTRAINT order_number_counter_last_value_check CHECK (last_value > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT order_number_counter_pkey PRIMARY KEY (prefix, local_date)
    )
  `.execute(db);

  await sql`
    CREATE TABLE payment_transaction (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      order_id integer NOT NULL
        CONSTRAINT payment_transaction_order_id_fkey REFERENCES "order" (id) ON DELETE RESTRICT,
      store_id integer NOT NULL
        CONSTRAINT payment_transaction_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      kind varchar(10) NOT NULL
        CONSTRAINT payment_transaction_kind_check CHECK (kind IN ('PAYMENT', 'REFUND')),
      provider varchar(20) NOT NULL
        CONSTRAINT payment_transaction_provider_check CHECK (provider IN ('YOOKASSA')),
      attempt_no integer NOT NULL
        CONSTRAINT payment_transaction_attempt_no_check CHECK (attempt_no >= 1),
      parent_id integer
        CONSTRAINT payment_transaction_parent_id_fkey
        REFERENCES payment_transaction (id) ON DELETE RESTRICT,
      provider_payment_id varchar(100),
      idempotence_key varchar(64) NOT NULL
        CONSTRAINT payment_transaction_idempotence_key_unique UNIQUE,
      status varchar(30) NOT NULL DEFAULT 'PENDING'
        CONSTRAINT payment_transaction_status_check CHECK (
          status IN ('PENDING', 'WAITING_FOR_CAPTURE', 'SUCCEEDED', 'CANCELED', 'FAILED')
        ),
      amount numeric(12,2) NOT NULL CONSTRAINT payment_transaction_amount_check CHECK (amount > 0),
      currency char(3) NOT NULL DEFAULT 'RUB'
        CONSTRAINT payment_transaction_currency_check CHECK (currency = 'RUB'),
      confirmation_url text,
      failure_code varchar(64),
      failure_party varchar(20),
      failure_reason text,
      authorized_at timestamptz,
      captured_at timestamptz,
      canceled_at timestamptz,
      failed_at timestamptz,
      last_provider_payload jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT payment_transaction_order_kind_attempt_unique UNIQUE (order_id, kind, attempt_no),
      CONSTRAINT payment_transaction_provider_id_unique UNIQUE (provider, provider_payment_id),
      CONSTRAINT payment_transaction_parent_consistency CHECK (
        (kind = 'REFUND') = (parent_id IS NOT NULL)
      ),
      CONSTRAINT payment_transaction_refund_status CHECK (
        kind = 'PAYMENT' OR status <> 'WAITING_FOR_CAPTURE'
      )
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_payment_transaction_live_unique ON payment_transaction (order_id)
    WHERE kind = 'PAYMENT' AND status IN ('PENDING', 'WAITING_FOR_CAPTURE', 'SUCCEEDED')
  `.execute(db);
  await sql`CREATE INDEX idx_payment_transaction_created ON payment_transaction (created_at)`.execute(
    db,
  );
  await sql`
    CREATE INDEX idx_payment_transaction_store_created ON payment_transaction (store_id, created_at)
  `.execute(db);

  await sql`
    CREATE TABLE idempotency_record (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      scope varchar(50) NOT NULL,
      principal varchar(64) NOT NULL,
      idempotency_key varchar(255) NOT NULL,
      request_hash char(64) NOT NULL,
      status varchar(20) NOT NULL DEFAULT 'IN_PROGRESS'
        CONSTRAINT idempotency_record_status_check CHECK (status IN ('IN_PROGRESS', 'COMPLETED')),
      locked_until timestamptz NOT NULL,
      response_status integer,
      response_body jsonb,
      resource_type varchar(40),
      resource_id varchar(64),
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT idempotency_record_key_unique UNIQUE (scope, principal, idempotency_key),
      CONSTRAINT idempotency_record_response_check CHECK (
        status <> 'COMPLETED' OR response_status IS NOT NULL
      )
    )
  `.execute(db);
  // The purge job (C-10) deletes records past expires_at.
  await sql`CREATE INDEX idx_idempotency_record_expires ON idempotency_record (expires_at)`.execute(
    db,
  );

  // Foreign keys into "order" from tables created before it.
  await sql`
    ALTER TABLE coupon_instance ADD CONSTRAINT coupon_instance_used_order_id_fkey
    FOREIGN KEY (used_order_id) REFERENCES "order" (id) ON DELETE RESTRICT
  `.execute(db);
  await sql`
    ALTER TABLE coupon_audit_log ADD CONSTRAINT coupon_audit_log_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES "order" (id) ON DELETE RESTRICT
  `.execute(db);
  await sql`
    ALTER TABLE offline_scan_log ADD CONSTRAINT offline_scan_log_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES "order" (id) ON DELETE RESTRICT
  `.execute(db);
  await sql`
    ALTER TABLE member_points_history ADD CONSTRAINT member_points_history_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES "order" (id) ON DELETE RESTRICT
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE member_points_history DROP CONSTRAINT member_points_history_order_id_fkey
  `.execute(db);
  await sql`ALTER TABLE offline_scan_log DROP CONSTRAINT offline_scan_log_order_id_fkey`.execute(
    db,
  );
  await sql`ALTER TABLE coupon_audit_log DROP CONSTRAINT coupon_audit_log_order_id_fkey`.execute(
    db,
  );
  await sql`ALTER TABLE coupon_instance DROP CONSTRAINT coupon_instance_used_order_id_fkey`.execute(
    db,
  );
  await sql`DROP TABLE idempotency_record`.execute(db);
  await sql`DROP TABLE payment_transaction`.execute(db);
  await sql`DROP TABLE order_number_counter`.execute(db);
  await sql`DROP TABLE order_item_option`.execute(db);
  await sql`DROP TABLE order_item`.execute(db);
  await sql`DROP TABLE "order"`.execute(db);
}
