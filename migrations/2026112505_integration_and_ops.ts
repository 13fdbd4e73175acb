// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Integration and operations (domain §1.3 "Integration and operations") and the `app_setting`
 * defaults of CF-8.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE iiko_sync_job (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      job_type varchar(20) NOT NULL
        CONSTRAINT iiko_sync_job_job_type_check
        CHECK (job_type IN ('MENU_IMPORT', 'ORDER_PUSH', 'STOP_LIST')),
      resource_id varchar(100) NOT NULL,
      status varchar(20) NOT NULL DEFAULT 'PENDING'
        CONSTRAINT iiko_sync_job_status_check
        CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
      priority integer NOT NULL DEFAULT 0,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      result jsonb,
      attempt_count integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL,
      next_run_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      lease_until timestamptz,
      locked_by varchar(100),
      last_error text CONSTRAINT iiko_sync_job_last_error_check CHECK (char_length(last_error) <= 2000),
      created_by_user_id integer
        CONSTRAINT iiko_sync_job_created_by_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT iiko_sync_job_attempt_count_check CHECK (
        attempt_count >= 0 AND attempt_count <= max_attempts
      )
    )
  `.execute(db);
  // IK-2, IK-3: one RUNNING and one PENDING job per resource; one ORDER_PUSH per order, ever.
  await sql`
    CREATE UNIQUE INDEX idx_iiko_sync_job_running_unique ON iiko_sync_job (job_type, resource_id)
    WHERE status = 'RUNNING'
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_iiko_sync_job_pending_unique ON iiko_sync_job (job_type, resource_id)
    WHERE status = 'PENDING'
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_iiko_sync_job_order_push_unique ON iiko_sync_job (resource_id)
    WHERE job_type = 'ORDER_PUSH'
  `.execute(db);
  await sql`
    CREATE INDEX idx_iiko_sync_job_status_next_run ON iiko_sync_job (status, next_run_at, priority)
  `.execute(db);

  // Append-only (C-2): no updated_at.
  await sql`
    CREATE TABLE iiko_sync_log (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      job_id integer NOT NULL
        CONSTRAINT iiko_sync_log_job_id_fkey REFERENCES iiko_sync_job (id) ON DELETE RESTRICT,
      attempt_number integer NOT NULL
        CONSTRAINT iiko_sync_log_attempt_number_check CHECK (attempt_number >= 1),
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      duration_ms integer NOT NULL CONSTRAINT iiko_sync_log_duration_ms_check CHECK (duration_ms >= 0),
      success boolean NOT NULL,
      http_status integer,
      error_code varchar(100),
      error_message text
        CONSTRAINT iiko_sync_log_error_message_check CHECK (char_length(error_message) <= 2000),
      request_summary text
        CONSTRAINT iiko_sync_log_request_summary_check CHECK (char_length(request_summary) <= 5000),
      response_summary text
        CONSTRAINT iiko_sync_log_response_summary_check CHECK (char_length(response_summary) <= 5000),
      iiko_correlation_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT iiko_sync_log_job_id_attempt_number_unique UNIQUE (job_id, attempt_number)
    )
  `.execute(db);
  await sql`CREATE INDEX idx_iiko_sync_log_finished ON iiko_sync_log (finished_at)`.execute(db);
  await sql`
    CREATE INDEX idx_iiko_sync_log_success_finished ON iiko_sync_log (success, finished_at)
  `.execute(db);

  await sql`
    CREATE TABLE notification (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      channel varchar(20) NOT NULL DEFAULT 'TELEGRAM'
        CONSTRAINT notification_channel_check CHECK (channel IN ('TELEGRAM')),
      recipient_type varchar(20) NOT NULL
        CONSTRAINT notification_recipient_type_check
        CHECK (recipient_type IN ('STORE_CHAT', 'MEMBER', 'ADMIN_CHAT')),
      chat_id bigint NOT NULL,
      member_id integer
        CONSTRAINT notification_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      store_id integer
        CONSTRAINT notification_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      order_id integer
        CONSTRAINT notification_order_id_fkey REFERENCES "order" (id) ON DELETE RESTRICT,
      type varchar(30) NOT NULL
        CONSTRAINT notification_type_check
        CHECK (type IN ('NEW_ORDER', 'ORDER_STATUS', 'ORDER_VOIDED', 'ALERT')),
      dedupe_key varchar(150) NOT NULL CONSTRAINT notification_dedupe_key_unique UNIQUE,
      text text NOT NULL CONSTRAINT notification_text_check CHECK (char_length(text) <= 4096),
      status varchar(20) NOT NULL DEFAULT 'PENDING'
        CONSTRAINT notification_status_check
        CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      provider_message_id bigint,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`
    CREATE INDEX idx_notification_status_next_attempt ON notification (status, next_attempt_at)
  `.execute(db);

  await sql`
    CREATE TABLE app_setting (
      key varchar(100) NOT NULL CONSTRAINT app_setting_pkey PRIMARY KEY,
      value jsonb NOT NULL,
      updated_by_user_id integer
        CONSTRAINT app_setting_updated_by_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  // CF-8 defaults. JSON null (not SQL NULL) marks "not configured yet".
  await sql`
    INSERT INTO app_setting (key, value) VALUES
      ('points.earn_per_rub', '"1.00"'),
      ('points.redeem_points_per_rub', '100'),
      ('points.signup_bonus', '100'),
      ('orders.payment_timeout_minutes', '30'),
      ('sms.per_phone_daily_cap', '10'),
      ('sms.per_ip_daily_cap', '20'),
      ('iiko.menu_revision', '0'),
      ('iiko.menu_import_interval_minutes', '60'),
      ('iiko.stop_list_interval_minutes', '5'),
      ('iiko.payment_type_id', 'null'),
      ('iiko.discount_type_id', 'null'),
      ('payments.receipt_enabled', 'false'),
      ('payments.vat_code', '1'),
      ('alerts.telegram_chat_id', 'null')
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE app_setting`.execute(db);
  await sql`DROP TABLE notification`.execute(db);
  await sql`DROP TABLE iiko_sync_log`.execute(db);
  await sql`DROP TABLE iiko_sync_job`.execute(db);
}
