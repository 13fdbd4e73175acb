import type { ActionFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as layoutRoute from '../../../app/routes/admin.coupons';
import * as listRoute from '../../../app/routes/admin.coupons._index';
import * as newRoute from '../../../app/routes/admin.coupons.new';
import * as templateRoute from '../../../app/routes/admin.coupons.$templateId';
import {
  createCategory,
  createCouponInstance,
  createCouponTemplate,
  createProduct,
  createStore,
  createStoreProduct,
} from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  adminSession,
  auditRows,
  callAction,
  callLoader,
  fieldErrors,
  managerSession,
  type Session,
} from '../../support/staff-requests';

let testDb: TestDatabase;
let admin: Session;
let storeId: number;
let latteId: number;
let cakeId: number;
let categoryId: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  admin = await adminSession(testDb);
  storeId = (await createStore(testDb.db)).id;
  categoryId = (await createCategory(testDb.db)).id;
  latteId = (await createProduct(testDb.db, { base_price: '250.00', category_id: categoryId })).id;
  cakeId = (await createProduct(testDb.db, { base_price: '180.50' })).id;
  await createStoreProduct(testDb.db, storeId, latteId);
  await createStoreProduct(testDb.db, storeId, cakeId);
});

afterAll(async () => {
  await testDb?.destroy();
});

type Entries = [string, string][];
let n = 0;

function base(over: Record<string, string> = {}): Entries {
  const fields: Record<string, string> = {
    code: `TPL-${++n}`,
    name_ru: 'Скидка',
    description_ru: 'Описание',
    type: 'SIMPLE_PERCENTAGE',
    discount_value: '10',
    scope_type: 'ALL',
    max_usage_per_user: '1',
    valid_from: '2026-01-01T00:00',
    valid_until: '2099-01-01T00:00',
    is_active: 'on',
    ...over,
  };
  return Object.entries(fields).filter(([, v]) => v !== '');
}

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

async function post(
  action: Action,
  entries: Entries,
  opts: { session?: Session; params?: Record<string, string> } = {},
) {
  const body = new FormData();
  for (const [k, v] of entries) body.append(k, v);
  return callAction(testDb, action, opts.session ?? admin, {}, { body, params: opts.params });
}

async function create(entries: Entries) {
  const res = await post(newRoute.action, entries);
  expect(res.status, JSON.stringify(res.body)).toBe(302);
  return Number(/\/admin\/coupons\/(\d+)/.exec(res.location ?? '')![1]);
}

const row = (id: number) =>
  testDb.db
    .selectFrom('coupon_template')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const thresholdEntries = (code: string, extra: Entries = []): Entries => [
  ...base({ code, type: 'THRESHOLD_OFF', discount_value: '' }),
  ['rule_json.tiers[0].min_amount', '300'],
  ['rule_json.tiers[0].discount_amount', '50'],
  ['rule_json.tiers[1].min_amount', '600,00'],
  ['rule_json.tiers[1].discount_amount', '120'],
  ...extra,
];

describe('creating templates', () => {
  it('creates each of the five types with canonical values, created_by and an audit row', async () => {
    const pct = await create(base({ discount_value: '12,5' }));
    expect(await row(pct)).toMatchObject({
      type: 'SIMPLE_PERCENTAGE',
      discount_value: '12.50',
      rule_json: null,
      created_by: admin.userId,
      max_usage_per_user: 1,
      is_active: true,
    });

    const fixed = await create(
      base({ type: 'SIMPLE_FIXED', discount_value: '150', max_usage_per_user: '' }),
    );
    expect(await row(fixed)).toMatchObject({ discount_value: '150.00', max_usage_per_user: null });

    const threshold = await create(
      thresholdEntries('THR-1', [['scope_store_ids', String(storeId)]]),
    );
    expect(await row(threshold)).toMatchObject({
      discount_value: null,
      rule_json: {
        tiers: [
          { min_amount: '300.00', discount_amount: '50.00' },
          { min_amount: '600.00', discount_amount: '120.00' },
        ],
      },
      scope_store_ids: [storeId],
    });

    const bogo = await create([
      ...base({ type: 'BOGO', discount_value: '' }),
      ['rule_json.buy_product_ids', String(latteId)],
      ['rule_json.buy_quantity', '1'],
      ['rule_json.get_quantity', '1'],
      ['rule_json.get_discount_percent', '100'],
      ['rule_json.max_free_items', '2'],
    ]);
    expect((await row(bogo)).rule_json).toEqual({
      buy_product_ids: [latteId],
      buy_quantity: 1,
      get_quantity: 1,
      get_discount_percent: 100,
      max_free_items: 2,
    });

    const bngm = await create([
      ...base({ type: 'BUY_N_GET_M', discount_value: '' }),
      ['rule_json.list_kind', 'categories'],
      ['rule_json.category_ids', String(categoryId)],
      // the hidden product list of the other choice is ignored
      ['rule_json.product_ids', String(cakeId)],
      ['rule_json.buy_quantity', '3'],
      ['rule_json.get_quantity', '1'],
      ['rule_json.get_discount_percent', '50'],
    ]);
    expect((await row(bngm)).rule_json).toEqual({
      buy_quantity: 3,
      get_quantity: 1,
      get_discount_percent: 50,
      category_ids: [categoryId],
    });

    const audit = await auditRows(testDb, 'coupon_template', threshold);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'coupon_template.create',
      actor_user_id: admin.userId,
    });
  });

  it('interprets the validity as Moscow time', async () => {
    const id = await create(base({ valid_from: '2026-03-01T10:00' }));
    expect((await row(id)).valid_from.toISOString()).toBe('2026-03-01T07:00:00.000Z');
  });
});

describe('bad input is refused with field errors, never a 500', () => {
  const refused = async (entries: Entries, status = 400) => {
    const res = await post(newRoute.action, entries);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return fieldErrors(res.body);
  };

  it('tiers not increasing', async () => {
    const errors = await refused([
      ...base({ type: 'THRESHOLD_OFF', discount_value: '' }),
      ['rule_json.tiers[0].min_amount', '600'],
      ['rule_json.tiers[0].discount_amount', '50'],
      ['rule_json.tiers[1].min_amount', '300'],
      ['rule_json.tiers[1].discount_amount', '60'],
    ]);
    expect(errors['rule_json.tiers[1].min_amount']).toEqual([
      'couponEngine.rule.tierMinIncreasing',
    ]);
  });

  it('a percentage above 100', async () => {
    const errors = await refused(base({ discount_value: '100.01' }));
    expect(errors.discount_value).toEqual(['couponEngine.template.percentRange']);
  });

  it('valid_from after valid_until', async () => {
    const errors = await refused(
      base({ valid_from: '2027-01-02T00:00', valid_until: '2027-01-01T00:00' }),
    );
    expect(errors.valid_until).toEqual(['couponEngine.template.validityOrder']);
  });

  it('an empty scope list', async () => {
    const errors = await refused(base({ scope_type: 'CATEGORIES' }));
    expect(errors.scope_category_ids).toEqual(['couponEngine.template.scopeListEmpty']);
  });

  it('an unknown product id in rule_json, and an unknown store in the scope', async () => {
    const errors = await refused([
      ...base({ type: 'BOGO', discount_value: '' }),
      ['rule_json.buy_product_ids', '987654'],
      ['rule_json.buy_quantity', '1'],
      ['rule_json.get_quantity', '1'],
      ['rule_json.get_discount_percent', '100'],
      ['scope_store_ids', '987653'],
    ]);
    expect(errors['rule_json.buy_product_ids[0]']).toEqual(['couponEngine.rule.unknownProduct']);
    expect(errors['scope_store_ids[0]']).toEqual(['couponEngine.rule.unknownStore']);
  });

  it('a duplicate code is a 409 next to the code', async () => {
    await create(base({ code: 'DUP-1' }));
    const errors = await refused(base({ code: 'dup-1' }), 409);
    expect(errors.code).toEqual(['couponTemplates.error.codeTaken']);
  });
});

describe('CP-15: the deal freezes once an instance exists', () => {
  it('refuses frozen fields with 409, keeps names, max total, later end and active editable', async () => {
    const id = await create(thresholdEntries('FRZ-1', [['max_total_usage', '100']]));
    const params = { templateId: String(id) };
    const update = (entries: Entries) =>
      post(templateRoute.action, [['intent', 'update'], ...entries], { params });

    // before any instance the full form may change the deal
    expect(
      (
        await update(
          thresholdEntries('FRZ-1', [
            ['max_total_usage', '100'],
            ['min_order_amount', '100'],
          ]),
        )
      ).status,
    ).toBe(302);
    await createCouponInstance(testDb.db, { template_id: id });
    await testDb.db
      .updateTable('coupon_template')
      .set({ current_usage_count: 5 })
      .where('id', '=', id)
      .execute();

    const changedDeal = await update(
      thresholdEntries('FRZ-1', [
        ['max_total_usage', '100'],
        ['min_order_amount', '200'],
      ]).map(([k, v]) => (k === 'rule_json.tiers[0].discount_amount' ? [k, '70'] : [k, v])),
    );
    expect(changedDeal.status).toBe(409);
    expect(fieldErrors(changedDeal.body)).toMatchObject({
      min_order_amount: ['couponTemplates.error.frozen'],
      rule_json: ['couponTemplates.error.frozen'],
    });
    expect((await row(id)).min_order_amount).toBe('100.00');

    // the frozen form posts only the editable fields
    const limited = (over: Record<string, string>) =>
      update(
        Object.entries({
          name_ru: 'Новое имя',
          description_ru: 'Описание',
          max_total_usage: '50',
          valid_until: '2099-06-01T00:00',
          ...over,
        }),
      );
    expect(fieldErrors((await limited({ valid_until: '2098-01-01T00:00' })).body)).toMatchObject({
      valid_until: ['couponTemplates.error.validUntilEarlier'],
    });
    expect(fieldErrors((await limited({ max_total_usage: '4' })).body)).toMatchObject({
      max_total_usage: ['couponTemplates.error.belowUsage'],
    });
    const ok = await limited({});
    expect(ok.status).toBe(302);
    expect(await row(id)).toMatchObject({
      name_ru: 'Новое имя',
      max_total_usage: 50,
      is_active: false,
      min_order_amount: '100.00',
    });

    const audit = await auditRows(testDb, 'coupon_template', id);
    expect(audit.map((a) => a.action)).toEqual([
      'coupon_template.create',
      'coupon_template.update',
      'coupon_template.update',
    ]);
    // changed fields only
    expect(Object.keys(audit[2]!.after as object).sort()).toEqual(
      ['is_active', 'max_total_usage', 'name_ru', 'valid_until'].sort(),
    );
    expect(audit[1]!.before).toEqual({ min_order_amount: null });

    const page = await callLoader(
      testDb,
      templateRoute.loader,
      admin,
      `/admin/coupons/${id}`,
      params,
    );
    expect(page.body).toMatchObject({ instanceCount: 1 });
  });
});

describe('the list', () => {
  it('filters by type, active, valid now and searches the code', async () => {
    await create(
      base({ code: 'LIST-PAST', valid_from: '2020-01-01T00:00', valid_until: '2020-02-01T00:00' }),
    );
    const list = async (query: string) =>
      (
        (await callLoader(testDb, listRoute.loader, admin, `/admin/coupons?${query}`)).body as {
          templates: { code: string; max_total_usage: number | null }[];
        }
      ).templates.map((t) => t.code);
    expect(await list('q=list-past')).toEqual(['LIST-PAST']);
    expect(await list('q=list-past&valid_now=true')).toEqual([]);
    expect(await list('q=list-past&valid_now=false&active=true&type=SIMPLE_PERCENTAGE')).toEqual([
      'LIST-PAST',
    ]);
    expect(await list('q=list-past&type=BOGO')).toEqual([]);
    // bad params fall back to defaults
    expect(
      (await callLoader(testDb, listRoute.loader, admin, '/admin/coupons?sort=x&page=-1')).status,
    ).toBe(200);
  });
});

describe('the try-it panel', () => {
  it('evaluates a THRESHOLD_OFF template on a cart from the store menu', async () => {
    const id = await create(thresholdEntries('TRY-1', [['scope_store_ids', String(storeId)]]));
    const path = (lines: string) => `/admin/coupons/${id}?try_store=${storeId}${lines}`;
    type Try = {
      tryIt: {
        outcome: {
          kind: string;
          subtotalKopecks: number;
          lines: { discountKopecks: number; lineTotalKopecks: number }[];
          evaluation: {
            eligible: boolean;
            discountKopecks?: number;
            rejection?: { reason: string };
          };
        };
      };
    };
    const tryIt = async (lines: string) =>
      (
        (
          await callLoader(testDb, templateRoute.loader, admin, path(lines), {
            templateId: String(id),
          })
        ).body as Try
      ).tryIt.outcome;

    // 2 × 250.00 + 1 × 180.50 = 680.50 ≥ 600 → 120.00 spread by line total
    const result = await tryIt(
      `&try_product=${latteId}&try_qty=2&try_product=${cakeId}&try_qty=1&try_product=&try_qty=1`,
    );
    expect(result.kind).toBe('result');
    expect(result.subtotalKopecks).toBe(68_050);
    expect(result.evaluation).toEqual({ eligible: true, discountKopecks: 12_000 });
    expect(result.lines.map((l) => l.discountKopecks)).toEqual([8_817, 3_183]);

    // 250.00 is below the first tier
    const below = await tryIt(`&try_product=${latteId}&try_qty=1`);
    expect(below.evaluation.eligible).toBe(false);
    expect(below.evaluation.rejection?.reason).toBe('COUPON_NOT_APPLICABLE');

    // another store is out of scope
    const other = (await createStore(testDb.db)).id;
    await createStoreProduct(testDb.db, other, latteId);
    const res = await callLoader(
      testDb,
      templateRoute.loader,
      admin,
      `/admin/coupons/${id}?try_store=${other}&try_product=${latteId}&try_qty=3`,
      { templateId: String(id) },
    );
    expect((res.body as Try).tryIt.outcome.evaluation.rejection?.reason).toBe(
      'COUPON_NOT_APPLICABLE',
    );
  });
});

describe('access', () => {
  it('answers 403 to a store manager on every loader and action', async () => {
    const manager = await managerSession(testDb, [storeId]);
    const template = await createCouponTemplate(testDb.db);
    const params = { templateId: String(template.id) };
    for (const loader of [layoutRoute.loader, listRoute.loader, newRoute.loader]) {
      expect((await callLoader(testDb, loader, manager, '/admin/coupons')).status).toBe(403);
    }
    expect(
      (await callLoader(testDb, templateRoute.loader, manager, '/admin/coupons/1', params)).status,
    ).toBe(403);
    expect((await post(newRoute.action, base(), { session: manager })).status).toBe(403);
    expect(
      (
        await post(templateRoute.action, [['intent', 'update'], ...base()], {
          session: manager,
          params,
        })
      ).status,
    ).toBe(403);
  });

  it('refuses a post without the CSRF token and an unknown intent', async () => {
    const res = await callAction(testDb, newRoute.action, admin, Object.fromEntries(base()), {
      csrf: false,
    });
    expect(res.status).toBe(403);
    const template = await createCouponTemplate(testDb.db);
    const bad = await post(templateRoute.action, [['intent', 'nope']], {
      params: { templateId: String(template.id) },
    });
    expect(bad.status).toBe(400);
  });
});
