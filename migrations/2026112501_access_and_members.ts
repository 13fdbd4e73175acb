// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Access and members (domain §1.3 "Access", "Members") plus `store`, which the access tables
 * reference. Conventions: C-1 identity ids, C-2 timestamps, C-6 vocabulary CHECKs named
 * `<table>_<column>_check`, money numeric(12,2). Migrations import nothing from app/ or db/, so the
 * vocabularies are spelled out here (and frozen: a change is a new migration).
 *
 * `member_points_history.order_id` gets its foreign key in the orders migration, once "order" exists.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email varchar(254) NOT NULL,
      password_hash varchar(255) NOT NULL,
      display_name varchar(100) NOT NULL,
      role varchar(20) NOT NULL
        CONSTRAINT users_role_check CHECK (role IN ('ADMIN', 'STORE_MANAGER')),
      is_active boolean NOT NULL DEFAULT true,
      failed_login_count integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email))`.execute(db);

  await sql`
    CREATE TABLE store (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code varchar(20) NOT NULL CONSTRAINT store_code_unique UNIQUE,
      name_ru varchar(100) NOT NULL,
      name_zh varchar(100),
      name_en varchar(100),
      address_ru text NOT NULL,
      city varchar(50) NOT NULL,
      latitude numeric(10,7),
      longitude numeric(10,7),
      phone varchar(16),
      timezone varchar(50) NOT NULL DEFAULT 'Europe/Moscow',
      opening_hours jsonb NOT NULL DEFAULT '{}'::jsonb,
      is_active boolean NOT NULL DEFAULT true,
      pickup_enabled boolean NOT NULL DEFAULT true,
      delivery_enabled boolean NOT NULL DEFAULT false,
      iiko_terminal_group_id uuid CONSTRAINT store_iiko_terminal_group_id_unique UNIQUE,
      telegram_chat_id bigint,
      scan_api_key_hash char(64) CONSTRAINT store_scan_api_key_hash_unique UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE member_group (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code varchar(30) NOT NULL CONSTRAINT member_group_code_unique UNIQUE,
      name_ru varchar(50) NOT NULL,
      name_zh varchar(50),
      name_en varchar(50),
      level integer NOT NULL CONSTRAINT member_group_level_unique UNIQUE,
      points_multiplier numeric(3,2) NOT NULL DEFAULT 1.00
        CONSTRAINT member_group_points_multiplier_check CHECK (points_multiplier > 0),
      min_points_required integer NOT NULL
        CONSTRAINT member_group_min_points_required_unique UNIQUE
        CONSTRAINT member_group_min_points_required_check CHECK (min_points_required >= 0),
      benefits jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  // The tiers of PT-9. "A group with 0 must exist" is guaranteed by this row (rows are never
  // deleted, C-10); the app keeps BRONZE at 0 points.
  await sql`
    INSERT INTO member_group (code, name_ru, name_zh, name_en, level, points_multiplier, min_points_required)
    VALUES
      ('BRONZE', 'Бронза', '青铜', 'Bronze', 1, 1.00, 0),
      ('SILVER', 'Серебро', '白银', 'Silver', 2, 1.20, 5000),
      ('GOLD', 'Золото', '黄金', 'Gold', 3, 1.50, 20000),
      ('PLATINUM', 'Платина', '铂金', 'Platinum', 4, 2.00, 50000)
  `.execute(db);

  await sql`
    CREATE TABLE member (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      phone varchar(16) NOT NULL
        CONSTRAINT member_phone_unique UNIQUE
        CONSTRAINT member_phone_check CHECK (phone ~ '^\\+7[0-9]{10}$'),
      display_name varchar(100) NOT NULL,
      group_id integer
        CONSTRAINT member_group_id_fkey REFERENCES member_group (id) ON DELETE RESTRICT,
      available_points_balance integer NOT NULL DEFAULT 0
        CONSTRAINT member_available_points_balance_check CHECK (available_points_balance >= 0),
      total_points_earned integer NOT NULL DEFAULT 0
        CONSTRAINT member_total_points_earned_check CHECK (total_points_earned >= 0),
      phone_verified_at timestamptz NOT NULL,
      birthday date,
      last_login_at timestamptz,
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE session (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      token_hash char(64) NOT NULL CONSTRAINT session_token_hash_unique UNIQUE,
      principal_type varchar(10) NOT NULL
        CONSTRAINT session_principal_type_check CHECK (principal_type IN ('USER', 'MEMBER')),
      user_id integer CONSTRAINT session_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      member_id integer CONSTRAINT session_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      expires_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      ip inet,
      user_agent varchar(300),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT session_principal_consistency CHECK (
        (principal_type = 'USER' AND user_id IS NOT NULL AND member_id IS NULL)
        OR (principal_type = 'MEMBER' AND member_id IS NOT NULL AND user_id IS NULL)
      )
    )
  `.execute(db);
  // Revoking every session of a deactivated user or member (AU, users.is_active).
  await sql`CREATE INDEX idx_session_user ON session (user_id) WHERE user_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX idx_session_member ON session (member_id) WHERE member_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE store_staff (
      user_id integer NOT NULL
        CONSTRAINT store_staff_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
      store_id integer NOT NULL
        CONSTRAINT store_staff_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT store_staff_pkey PRIMARY KEY (user_id, store_id)
    )
  `.execute(db);
  await sql`CREATE INDEX idx_store_staff_store ON store_staff (store_id)`.execute(db);

  // "A store_staff user must be a STORE_MANAGER" spans two tables, so it cannot be a CHECK. One
  // trigger function guards both sides and reports SQLSTATE 23514 (check_violation) with the
  // constraint name store_staff_user_is_manager, so callers handle it like any CHECK:
  //  - store_staff INSERT/UPDATE: the user must currently be a STORE_MANAGER. The user row is read
  //    FOR SHARE, which conflicts with a concurrent role UPDATE, so the two cannot interleave;
  //  - users UPDATE OF role: a user who still has store_staff rows cannot stop being a
  //    STORE_MANAGER (delete the links first, in the same transaction).
  await sql`
    CREATE FUNCTION store_staff_user_is_manager() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'store_staff' THEN
        PERFORM 1 FROM users WHERE id = NEW.user_id AND role = 'STORE_MANAGER' FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'store_staff: user % is not a STORE_MANAGER', NEW.user_id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'store_staff_user_is_manager',
                  TABLE = 'store_staff';
        END IF;
      ELSIF NEW.role IS DISTINCT FROM 'STORE_MANAGER' THEN
        IF EXISTS (SELECT 1 FROM store_staff WHERE user_id = NEW.id) THEN
          RAISE EXCEPTION 'users: user % still has store_staff rows and must stay STORE_MANAGER', NEW.id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'store_staff_user_is_manager',
                  TABLE = 'users';
        END IF;
      END IF;
      RETURN NEW;
    END;
    $$
  `.execute(db);
  await sql`
    CREATE TRIGGER store_staff_user_is_manager
    BEFORE INSERT OR UPDATE ON store_staff
    FOR EACH ROW EXECUTE FUNCTION store_staff_user_is_manager()
  `.execute(db);
  await sql`
    CREATE TRIGGER users_role_store_staff_user_is_manager
    BEFORE UPDATE OF role ON users
    FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION store_staff_user_is_manager()
  `.execute(db);

  await sql`
    CREATE TABLE user_preference (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id integer
        CONSTRAINT user_preference_user_id_unique UNIQUE
        CONSTRAINT user_preference_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      member_id integer
        CONSTRAINT user_preference_member_id_unique UNIQUE
        CONSTRAINT user_preference_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      language varchar(2) NOT NULL DEFAULT 'ru'
        CONSTRAINT user_preference_language_check CHECK (language IN ('ru', 'zh', 'en')),
      notify_order_status boolean NOT NULL DEFAULT true,
      default_store_id integer
        CONSTRAINT user_preference_default_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      default_order_type varchar(20)
        CONSTRAINT user_preference_default_order_type_check
        CHECK (default_order_type IN ('DELIVERY', 'PICKUP')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT user_preference_owner CHECK (num_nonnulls(user_id, member_id) = 1)
    )
  `.execute(db);

  await sql`
    CREATE TABLE verification_code (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      phone varchar(16) NOT NULL,
      code_hash char(64) NOT NULL,
      status varchar(20) NOT NULL DEFAULT 'ACTIVE'
        CONSTRAINT verification_code_status_check
        CHECK (status IN ('ACTIVE', 'CONSUMED', 'SUPERSEDED', 'EXPIRED', 'LOCKED')),
      attempts integer NOT NULL DEFAULT 0
        CONSTRAINT verification_code_attempts_check CHECK (attempts >= 0 AND attempts <= 5),
      expires_at timestamptz NOT NULL,
      consumed_at timestamptz,
      ip_address inet NOT NULL,
      user_agent varchar(300),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_verification_code_active_unique
    ON verification_code (phone) WHERE status = 'ACTIVE'
  `.execute(db);
  await sql`
    CREATE INDEX idx_verification_code_phone_created ON verification_code (phone, created_at)
  `.execute(db);
  await sql`
    CREATE INDEX idx_verification_code_ip_created ON verification_code (ip_address, created_at)
  `.execute(db);

  // Append-only (C-2): no updated_at.
  await sql`
    CREATE TABLE audit_log (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      actor_type varchar(20) NOT NULL
        CONSTRAINT audit_log_actor_type_check
        CHECK (actor_type IN ('USER', 'MEMBER', 'SYSTEM', 'STORE_DEVICE')),
      actor_user_id integer
        CONSTRAINT audit_log_actor_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      actor_member_id integer
        CONSTRAINT audit_log_actor_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      store_id integer CONSTRAINT audit_log_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      action varchar(60) NOT NULL,
      entity_type varchar(40) NOT NULL,
      entity_id varchar(64) NOT NULL,
      before jsonb,
      after jsonb,
      reason text,
      request_id varchar(64),
      ip inet,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`
    CREATE INDEX idx_audit_log_entity ON audit_log (entity_type, entity_id, created_at DESC)
  `.execute(db);
  await sql`CREATE INDEX idx_audit_log_store_created ON audit_log (store_id, created_at DESC)`.execute(
    db,
  );

  await sql`
    CREATE TABLE telegram_user (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      telegram_id bigint NOT NULL CONSTRAINT telegram_user_telegram_id_unique UNIQUE,
      chat_id bigint NOT NULL,
      username varchar(64),
      first_name varchar(100),
      last_name varchar(100),
      language_code varchar(10),
      member_id integer
        CONSTRAINT telegram_user_member_id_unique UNIQUE
        CONSTRAINT telegram_user_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      linked_at timestamptz,
      is_blocked boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT telegram_user_link_consistency CHECK ((member_id IS NULL) = (linked_at IS NULL))
    )
  `.execute(db);

  await sql`
    CREATE TABLE delivery_address (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      member_id integer NOT NULL
        CONSTRAINT delivery_address_member_id_fkey REFERENCES member (id) ON DELETE CASCADE,
      label varchar(50),
      address_line text NOT NULL,
      apartment varchar(20),
      entrance varchar(20),
      floor varchar(20),
      intercom varchar(20),
      comment text,
      latitude numeric(10,7) NOT NULL
        CONSTRAINT delivery_address_latitude_check CHECK (latitude >= -90 AND latitude <= 90),
      longitude numeric(10,7) NOT NULL
        CONSTRAINT delivery_address_longitude_check CHECK (longitude >= -180 AND longitude <= 180),
      is_default boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_delivery_address_default_unique
    ON delivery_address (member_id) WHERE is_default
  `.execute(db);
  await sql`CREATE INDEX idx_delivery_address_member ON delivery_address (member_id)`.execute(db);

  // Append-only ledger (C-2, PT-3). order_id's foreign key is added with the "order" table.
  await sql`
    CREATE TABLE member_points_history (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      member_id integer NOT NULL
        CONSTRAINT member_points_history_member_id_fkey REFERENCES member (id) ON DELETE RESTRICT,
      delta integer NOT NULL CONSTRAINT member_points_history_delta_check CHECK (delta <> 0),
      balance_after integer NOT NULL
        CONSTRAINT member_points_history_balance_after_check CHECK (balance_after >= 0),
      reason varchar(50) NOT NULL
        CONSTRAINT member_points_history_reason_check
        CHECK (reason IN ('SIGNUP_BONUS', 'ORDER_REDEEM', 'ORDER_EARN', 'REFUND', 'ADMIN_ADJUST')),
      idempotency_key varchar(100),
      order_id integer,
      actor_user_id integer
        CONSTRAINT member_points_history_actor_user_id_fkey REFERENCES users (id) ON DELETE RESTRICT,
      description text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT member_points_history_order_reason
        CHECK (reason NOT IN ('ORDER_REDEEM', 'ORDER_EARN', 'REFUND') OR order_id IS NOT NULL),
      CONSTRAINT member_points_history_admin_actor
        CHECK (reason <> 'ADMIN_ADJUST' OR actor_user_id IS NOT NULL)
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idx_points_history_idempotency_unique
    ON member_points_history (idempotency_key) WHERE idempotency_key IS NOT NULL
  `.execute(db);
  await sql`
    CREATE INDEX idx_points_history_member ON member_points_history (member_id, id DESC)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE member_points_history`.execute(db);
  await sql`DROP TABLE delivery_address`.execute(db);
  await sql`DROP TABLE telegram_user`.execute(db);
  await sql`DROP TABLE audit_log`.execute(db);
  await sql`DROP TABLE verification_code`.execute(db);
  await sql`DROP TABLE user_preference`.execute(db);
  await sql`DROP TRIGGER users_role_store_staff_user_is_manager ON users`.execute(db);
  await sql`DROP TABLE store_staff`.execute(db);
  await sql`DROP FUNCTION store_staff_user_is_manager()`.execute(db);
  await sql`DROP TABLE session`.execute(db);
  await sql`DROP TABLE member`.execute(db);
  await sql`DROP TABLE member_group`.execute(db);
  await sql`DROP TABLE store`.execute(db);
  await sql`DROP TABLE users`.execute(db);
}
