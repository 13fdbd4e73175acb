// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Stores and catalog (domain §1.3 "Stores and catalog"; `store` itself is created by the first
 * migration because the access tables reference it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE category (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code varchar(30) NOT NULL CONSTRAINT category_code_unique UNIQUE,
      name_ru varchar(100) NOT NULL,
      name_zh varchar(100),
      name_en varchar(100),
      sort_order integer NOT NULL DEFAULT 0,
      is_active boolean NOT NULL DEFAULT true,
      iiko_group_id uuid CONSTRAINT category_iiko_group_id_unique UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE product (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      sku varchar(50) NOT NULL CONSTRAINT product_sku_unique UNIQUE,
      category_id integer
        CONSTRAINT product_category_id_fkey REFERENCES category (id) ON DELETE RESTRICT,
      name_ru varchar(200) NOT NULL,
      name_zh varchar(200),
      name_en varchar(200),
      description_ru text,
      description_zh text,
      description_en text,
      base_price numeric(12,2) NOT NULL CONSTRAINT product_base_price_check CHECK (base_price >= 0),
      image_url text,
      is_active boolean NOT NULL DEFAULT true,
      is_special_price boolean NOT NULL DEFAULT false,
      is_manual_override boolean NOT NULL DEFAULT false,
      iiko_product_id uuid CONSTRAINT product_iiko_product_id_unique UNIQUE,
      iiko_price numeric(12,2),
      iiko_name varchar(200),
      iiko_last_sync_at timestamptz,
      sort_order integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX idx_product_category ON product (category_id)`.execute(db);

  await sql`
    CREATE TABLE option_group (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code varchar(30) NOT NULL CONSTRAINT option_group_code_unique UNIQUE,
      name_ru varchar(50) NOT NULL,
      name_zh varchar(50),
      name_en varchar(50),
      group_type varchar(20) NOT NULL
        CONSTRAINT option_group_group_type_check
        CHECK (group_type IN ('TEMPERATURE', 'ICE', 'SUGAR', 'TOPPING')),
      is_required boolean NOT NULL,
      selection_type varchar(10) NOT NULL
        CONSTRAINT option_group_selection_type_check CHECK (selection_type IN ('SINGLE', 'MULTI')),
      sort_order integer NOT NULL DEFAULT 0,
      iiko_group_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT option_group_business_rule CHECK (
        (group_type IN ('TEMPERATURE', 'ICE', 'SUGAR') AND is_required AND selection_type = 'SINGLE')
        OR (group_type = 'TOPPING' AND NOT is_required AND selection_type = 'MULTI')
      )
    )
  `.execute(db);

  await sql`
    CREATE TABLE option_item (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      group_id integer NOT NULL
        CONSTRAINT option_item_group_id_fkey REFERENCES option_group (id) ON DELETE RESTRICT,
      code varchar(30) NOT NULL,
      name_ru varchar(50) NOT NULL,
      name_zh varchar(50),
      name_en varchar(50),
      price_delta numeric(12,2) NOT NULL DEFAULT 0
        CONSTRAINT option_item_price_delta_check CHECK (price_delta >= 0),
      is_available boolean NOT NULL DEFAULT true,
      sort_order integer NOT NULL DEFAULT 0,
      iiko_modifier_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT option_item_group_id_code_unique UNIQUE (group_id, code),
      CONSTRAINT option_item_group_id_id_unique UNIQUE (group_id, id)
    )
  `.execute(db);

  // The default item must belong to the attached group: a composite FK onto
  // option_item (group_id, id). MATCH SIMPLE lets default_item_id be NULL (TOPPING groups);
  // deferred so a group and its default can be rewired in one transaction.
  await sql`
    CREATE TABLE product_option_group (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      product_id integer NOT NULL
        CONSTRAINT product_option_group_product_id_fkey REFERENCES product (id) ON DELETE RESTRICT,
      group_id integer NOT NULL
        CONSTRAINT product_option_group_group_id_fkey REFERENCES option_group (id) ON DELETE RESTRICT,
      default_item_id integer,
      sort_order integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT product_option_group_product_id_group_id_unique UNIQUE (product_id, group_id),
      CONSTRAINT product_option_group_default_item_fk FOREIGN KEY (group_id, default_item_id)
        REFERENCES option_item (group_id, id) DEFERRABLE INITIALLY DEFERRED
    )
  `.execute(db);

  // "The item's group must be attached to the product" is an app rule (menu service): enforcing it
  // here would need a group_id column that §1.3 does not have, or triggers on two tables.
  await sql`
    CREATE TABLE product_option_item (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      product_id integer NOT NULL
        CONSTRAINT product_option_item_product_id_fkey REFERENCES product (id) ON DELETE RESTRICT,
      item_id integer NOT NULL
        CONSTRAINT product_option_item_item_id_fkey REFERENCES option_item (id) ON DELETE RESTRICT,
      price_delta_override numeric(12,2)
        CONSTRAINT product_option_item_price_delta_override_check CHECK (price_delta_override >= 0),
      is_available_override boolean,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT product_option_item_product_id_item_id_unique UNIQUE (product_id, item_id)
    )
  `.execute(db);

  await sql`
    CREATE TABLE store_product (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      store_id integer NOT NULL
        CONSTRAINT store_product_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      product_id integer NOT NULL
        CONSTRAINT store_product_product_id_fkey REFERENCES product (id) ON DELETE RESTRICT,
      price_override numeric(12,2)
        CONSTRAINT store_product_price_override_check CHECK (price_override >= 0),
      is_active boolean NOT NULL DEFAULT true,
      stock_status varchar(20) NOT NULL DEFAULT 'IN_STOCK'
        CONSTRAINT store_product_stock_status_check
        CHECK (stock_status IN ('IN_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK')),
      stock_status_source varchar(10) NOT NULL DEFAULT 'MANUAL'
        CONSTRAINT store_product_stock_status_source_check
        CHECK (stock_status_source IN ('MANUAL', 'IIKO')),
      is_special_price boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT store_product_store_id_product_id_unique UNIQUE (store_id, product_id)
    )
  `.execute(db);
  await sql`CREATE INDEX idx_store_product_product ON store_product (product_id)`.execute(db);

  // CASE keeps a non-array polygon a check violation (23514) instead of a jsonb_array_length error.
  await sql`
    CREATE TABLE delivery_zone (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      store_id integer NOT NULL
        CONSTRAINT delivery_zone_store_id_fkey REFERENCES store (id) ON DELETE RESTRICT,
      name_ru varchar(100) NOT NULL,
      name_zh varchar(100),
      name_en varchar(100),
      polygon jsonb NOT NULL
        CONSTRAINT delivery_zone_polygon_check CHECK (
          jsonb_typeof(polygon) = 'array'
          AND CASE WHEN jsonb_typeof(polygon) = 'array' THEN jsonb_array_length(polygon) >= 3 END
        ),
      fee numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT delivery_zone_fee_check CHECK (fee >= 0),
      min_order_amount numeric(12,2) NOT NULL DEFAULT 0
        CONSTRAINT delivery_zone_min_order_amount_check CHECK (min_order_amount >= 0),
      eta_minutes integer NOT NULL
        CONSTRAINT delivery_zone_eta_minutes_check CHECK (eta_minutes >= 1 AND eta_minutes <= 240),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX idx_delivery_zone_store ON delivery_zone (store_id)`.execute(db);

  await sql`
    CREATE TABLE translation (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key varchar(150) NOT NULL CONSTRAINT translation_key_unique UNIQUE,
      category varchar(50) NOT NULL,
      ru text,
      zh text,
      en text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE translation`.execute(db);
  await sql`DROP TABLE delivery_zone`.execute(db);
  await sql`DROP TABLE store_product`.execute(db);
  await sql`DROP TABLE product_option_item`.execute(db);
  await sql`DROP TABLE product_option_group`.execute(db);
  await sql`DROP TABLE option_item`.execute(db);
  await sql`DROP TABLE option_group`.execute(db);
  await sql`DROP TABLE product`.execute(db);
  await sql`DROP TABLE category`.execute(db);
}
