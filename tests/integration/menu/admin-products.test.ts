import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listRoute from '../../../app/routes/admin.menu._index';
import * as newRoute from '../../../app/routes/admin.menu.products.new';
import * as productRoute from '../../../app/routes/admin.menu.products.$productId';
import * as optionsRoute from '../../../app/routes/admin.menu.options';
import * as categoriesRoute from '../../../app/routes/admin.menu.categories';
import {
  attachOptionGroup,
  createCategory,
  createOptionGroup,
  createOptionItem,
  createProduct,
} from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  adminSession,
  callAction,
  callLoader,
  fieldErrors,
  type Session,
} from '../../support/staff-requests';

let testDb: TestDatabase;
let admin: Session;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  admin = await adminSession(testDb);
});

afterAll(async () => {
  await testDb?.destroy();
});

const productFields = (over: Record<string, string> = {}) => ({
  intent: 'create',
  sku: `T-${Math.random().toString(36).slice(2, 8)}`,
  name_ru: 'Молочный улун',
  name_zh: '乌龙奶茶',
  base_price: '350,50',
  sort_order: '1',
  is_active: 'on',
  ...over,
});

async function auditRows(entityType: string, entityId: number | string) {
  return testDb.db
    .selectFrom('audit_log')
    .select(['action', 'before', 'after', 'actor_user_id', 'reason'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}

describe('products', () => {
  it('creates a product with kopeck-exact price and an audit row, then redirects to it', async () => {
    const fields = productFields();
    const res = await callAction(testDb, newRoute.action, admin, fields, {
      path: '/admin/menu/products/new',
    });
    expect(res.status).toBe(302);
    const id = Number(res.location!.split('/').pop());
    const row = await testDb.db
      .selectFrom('product')
      .select(['sku', 'base_price', 'name_zh', 'is_active', 'is_manual_override'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      sku: fields.sku,
      base_price: '350.50',
      name_zh: '乌龙奶茶',
      is_active: true,
      is_manual_override: false,
    });
    const audit = await auditRows('product', id);
    expect(audit.map((a) => a.action)).toEqual(['product.create']);
    expect(audit[0]!.actor_user_id).toBe(admin.userId);
    expect(audit[0]!.after).toMatchObject({ sku: fields.sku, base_price: '350.50' });
  });

  it('answers 409 with a field error for a duplicate SKU', async () => {
    const existing = await createProduct(testDb.db);
    const res = await callAction(
      testDb,
      newRoute.action,
      admin,
      productFields({ sku: existing.sku }),
      {
        path: '/admin/menu/products/new',
      },
    );
    expect(res.status).toBe(409);
    expect(fieldErrors(res.body).sku).toEqual(['menu.error.skuTaken']);
  });

  it('answers 400 with a field error for a negative or malformed price', async () => {
    for (const [price, key] of [
      ['-5', 'menu.error.priceNegative'],
      ['1.234', 'menu.error.priceInvalid'],
      ['abc', 'menu.error.priceInvalid'],
    ] as const) {
      const res = await callAction(
        testDb,
        newRoute.action,
        admin,
        productFields({ base_price: price }),
        {
          path: '/admin/menu/products/new',
        },
      );
      expect(res.status, price).toBe(400);
      expect(fieldErrors(res.body).base_price, price).toEqual([key]);
    }
  });

  it('editing the price sets is_manual_override (IK-9) and "accept iiko" clears it', async () => {
    const product = await createProduct(testDb.db, {
      iiko_product_id: '11111111-1111-4111-8111-111111111111',
      iiko_price: '350.00',
      iiko_name: 'Улун iiko',
      name_ru: 'Улун iiko',
    });
    const res = await callAction(
      testDb,
      productRoute.action,
      admin,
      {
        intent: 'update',
        sku: product.sku,
        name_ru: product.name_ru,
        base_price: '399',
        sort_order: '0',
        is_active: 'on',
      },
      { path: `/admin/menu/products/${product.id}`, params: { productId: String(product.id) } },
    );
    expect(res.status).toBe(302);
    let row = await testDb.db
      .selectFrom('product')
      .select(['base_price', 'is_manual_override'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ base_price: '399.00', is_manual_override: true });
    let audit = await auditRows('product', product.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'product.price_change',
      before: { base_price: '350.00', is_manual_override: false },
      after: { base_price: '399.00', is_manual_override: true },
    });

    // the list flags the conflict
    const list = await callLoader(testDb, listRoute.loader, admin, '/admin/menu?override=conflict');
    const rows = (list.body as { rows: { id: number; has_conflict: boolean }[] }).rows;
    expect(rows.map((r) => r.id)).toContain(product.id);

    const accept = await callAction(testDb, listRoute.action, admin, {
      intent: 'accept-iiko',
      product_id: String(product.id),
    });
    expect(accept.status).toBe(302);
    row = await testDb.db
      .selectFrom('product')
      .select(['base_price', 'is_manual_override'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ base_price: '350.00', is_manual_override: false });
    audit = await auditRows('product', product.id);
    expect(audit.at(-1)).toMatchObject({
      reason: 'accept_iiko_values',
      before: { is_manual_override: true },
      after: { is_manual_override: false },
    });
  });

  it('editing only the description does not set the override', async () => {
    const product = await createProduct(testDb.db);
    const res = await callAction(
      testDb,
      productRoute.action,
      admin,
      {
        intent: 'update',
        sku: product.sku,
        name_ru: product.name_ru,
        description_ru: 'Новое описание',
        base_price: '350',
        sort_order: '0',
        is_active: 'on',
      },
      { params: { productId: String(product.id) } },
    );
    expect(res.status).toBe(302);
    const row = await testDb.db
      .selectFrom('product')
      .select(['is_manual_override', 'description_ru'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ is_manual_override: false, description_ru: 'Новое описание' });
    expect((await auditRows('product', product.id)).at(-1)!.action).toBe('product.update');
  });

  it('answers 404 for a missing or malformed product id', async () => {
    for (const productId of ['999999', 'abc', '']) {
      const res = await callLoader(testDb, productRoute.loader, admin, '/admin/menu/products/x', {
        productId,
      });
      expect(res.status, productId).toBe(404);
    }
  });

  it('lists with search, filters, sort and pagination from the URL; bad params fall back', async () => {
    const category = await createCategory(testDb.db);
    const a = await createProduct(testDb.db, { sku: 'FIND-ME-1', category_id: category.id });
    await createProduct(testDb.db, {
      sku: 'FIND-ME-2',
      category_id: category.id,
      is_active: false,
    });
    const res = await callLoader(
      testDb,
      listRoute.loader,
      admin,
      `/admin/menu?q=find-me&category=${category.id}&active=true&sort=sku&dir=desc`,
    );
    const body = res.body as { rows: { id: number }[]; total: number };
    expect(body.total).toBe(1);
    expect(body.rows.map((r) => r.id)).toEqual([a.id]);
    const bad = await callLoader(
      testDb,
      listRoute.loader,
      admin,
      '/admin/menu?sort=drop%20table&dir=sideways&page=-3&category=abc&override=maybe',
    );
    expect(bad.status).toBe(200);
  });
});

describe('options', () => {
  it('derives required/single for TEMPERATURE and optional/multi for TOPPING', async () => {
    for (const [type, required, selection] of [
      ['TEMPERATURE', true, 'SINGLE'],
      ['TOPPING', false, 'MULTI'],
    ] as const) {
      const code = `G_${type}_${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
      const res = await callAction(
        testDb,
        optionsRoute.action,
        admin,
        // is_required / selection_type are not form fields: a forged value is ignored
        {
          intent: 'create-group',
          code,
          name_ru: 'Группа',
          group_type: type,
          is_required: 'false',
          selection_type: 'MULTI',
        },
        { path: '/admin/menu/options' },
      );
      expect(res.status).toBe(302);
      const row = await testDb.db
        .selectFrom('option_group')
        .select(['id', 'is_required', 'selection_type'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ is_required: required, selection_type: selection });
      expect((await auditRows('option_group', row.id))[0]!.action).toBe('option_group.create');
    }
  });

  it('refuses to turn an attached required group into toppings', async () => {
    const group = await createOptionGroup(testDb.db, { group_type: 'ICE' });
    const item = await createOptionItem(testDb.db, group.id);
    const product = await createProduct(testDb.db);
    await attachOptionGroup(testDb.db, product.id, group.id, { default_item_id: item.id });
    const res = await callAction(testDb, optionsRoute.action, admin, {
      intent: 'update-group',
      id: String(group.id),
      code: group.code,
      name_ru: group.name_ru,
      group_type: 'TOPPING',
    });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body).group_type).toEqual(['menu.error.groupTypeLocked']);
  });

  it('creates items with a non-negative price delta and a per-group unique code', async () => {
    const group = await createOptionGroup(testDb.db, { group_type: 'TOPPING' });
    const ok = await callAction(testDb, optionsRoute.action, admin, {
      intent: 'create-item',
      group_id: String(group.id),
      code: 'tapioca',
      name_ru: 'Тапиока',
      price_delta: '60',
      is_available: 'on',
    });
    expect(ok.status).toBe(302);
    const dup = await callAction(testDb, optionsRoute.action, admin, {
      intent: 'create-item',
      group_id: String(group.id),
      code: 'TAPIOCA',
      name_ru: 'Тапиока 2',
      price_delta: '60',
    });
    expect(dup.status).toBe(409);
    expect(fieldErrors(dup.body).code).toEqual(['menu.error.codeTaken']);
    const negative = await callAction(testDb, optionsRoute.action, admin, {
      intent: 'create-item',
      group_id: String(group.id),
      code: 'PEARL',
      name_ru: 'Жемчуг',
      price_delta: '-1',
    });
    expect(negative.status).toBe(400);
    expect(fieldErrors(negative.body).price_delta).toEqual(['menu.error.priceNegative']);
  });

  it('attaches a group with its default, and explains a default from another group (400, not 500)', async () => {
    const product = await createProduct(testDb.db);
    const sugar = await createOptionGroup(testDb.db, { group_type: 'SUGAR' });
    const half = await createOptionItem(testDb.db, sugar.id);
    const ice = await createOptionGroup(testDb.db, { group_type: 'ICE' });
    const lessIce = await createOptionItem(testDb.db, ice.id);
    const params = { productId: String(product.id) };

    const wrong = await callAction(
      testDb,
      productRoute.action,
      admin,
      { intent: 'attach-group', group_id: String(sugar.id), default_item_id: String(lessIce.id) },
      { params },
    );
    expect(wrong.status).toBe(400);
    expect(fieldErrors(wrong.body).default_item_id).toEqual(['menu.error.defaultWrongGroup']);

    const missing = await callAction(
      testDb,
      productRoute.action,
      admin,
      { intent: 'attach-group', group_id: String(sugar.id) },
      { params },
    );
    expect(missing.status).toBe(400);
    expect(fieldErrors(missing.body).default_item_id).toEqual(['menu.error.defaultRequired']);

    const ok = await callAction(
      testDb,
      productRoute.action,
      admin,
      { intent: 'attach-group', group_id: String(sugar.id), default_item_id: String(half.id) },
      { params },
    );
    expect(ok.status).toBe(302);
    const attached = await testDb.db
      .selectFrom('product_option_group')
      .select(['default_item_id'])
      .where('product_id', '=', product.id)
      .execute();
    expect(attached).toEqual([{ default_item_id: half.id }]);

    // TOPPING takes no default
    const topping = await createOptionGroup(testDb.db, { group_type: 'TOPPING' });
    const pearl = await createOptionItem(testDb.db, topping.id);
    const toppingDefault = await callAction(
      testDb,
      productRoute.action,
      admin,
      { intent: 'attach-group', group_id: String(topping.id), default_item_id: String(pearl.id) },
      { params },
    );
    expect(toppingDefault.status).toBe(400);
    expect(fieldErrors(toppingDefault.body).default_item_id).toEqual([
      'menu.error.defaultNotAllowed',
    ]);

    // per-product override of an item of an attached group; an unattached group is refused
    const override = await callAction(
      testDb,
      productRoute.action,
      admin,
      {
        intent: 'set-item',
        item_id: String(half.id),
        price_delta_override: '15',
        availability: 'unavailable',
      },
      { params },
    );
    expect(override.status).toBe(302);
    const poi = await testDb.db
      .selectFrom('product_option_item')
      .select(['price_delta_override', 'is_available_override'])
      .where('product_id', '=', product.id)
      .execute();
    expect(poi).toEqual([{ price_delta_override: '15.00', is_available_override: false }]);
    const notAttached = await callAction(
      testDb,
      productRoute.action,
      admin,
      { intent: 'set-item', item_id: String(pearl.id), price_delta_override: '5' },
      { params },
    );
    expect(notAttached.status).toBe(400);
    expect(fieldErrors(notAttached.body).item_id).toEqual(['menu.error.itemGroupNotAttached']);

    const actions = (
      await testDb.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'product')
        .where('entity_id', '=', String(product.id))
        .orderBy('id')
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(['product_option.attach', 'product_option.item_update']);
  });
});

describe('categories', () => {
  it('creates and updates with audit rows; a duplicate code is a 409 field error', async () => {
    const created = await callAction(testDb, categoriesRoute.action, admin, {
      intent: 'create',
      code: 'milk_tea',
      name_ru: 'Молочный чай',
      name_en: 'Milk tea',
      sort_order: '2',
      is_active: 'on',
    });
    expect(created.status).toBe(302);
    const row = await testDb.db
      .selectFrom('category')
      .select(['id', 'code', 'name_en'])
      .where('code', '=', 'MILK_TEA')
      .executeTakeFirstOrThrow();
    const dup = await callAction(testDb, categoriesRoute.action, admin, {
      intent: 'create',
      code: 'MILK_TEA',
      name_ru: 'Другой',
    });
    expect(dup.status).toBe(409);
    expect(fieldErrors(dup.body).code).toEqual(['menu.error.codeTaken']);
    const updated = await callAction(testDb, categoriesRoute.action, admin, {
      intent: 'update',
      id: String(row.id),
      code: 'MILK_TEA',
      name_ru: 'Молочный чай',
      name_en: 'Milk teas',
      sort_order: '2',
      is_active: 'on',
    });
    expect(updated.status).toBe(302);
    expect(await auditRows('category', row.id)).toMatchObject([
      { action: 'category.create' },
      {
        action: 'category.update',
        before: { name_en: 'Milk tea' },
        after: { name_en: 'Milk teas' },
      },
    ]);
  });

  it('answers 400 to an unknown intent', async () => {
    const res = await callAction(testDb, categoriesRoute.action, admin, { intent: 'drop' });
    expect(res.status).toBe(400);
  });
});
