import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  action as quoteAction,
  loader as quoteLoader,
} from '../../../app/routes/api.checkout.quote';
import { createCouponInstance } from '../../factories/coupons';
import { createMember } from '../../factories/access';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE } from '../auth/helpers';
import { createShop, formRequest, jsonRequest, memberSession, run, type Shop } from './helpers';

let testDb: TestDatabase;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  shop = await createShop(testDb);
});

afterAll(async () => {
  await testDb.destroy();
});

const PATH = '/api/checkout/quote';

function body(overrides: Record<string, unknown> = {}) {
  return {
    store_id: shop.store.id,
    order_type: 'PICKUP',
    lines: [
      {
        product_id: shop.milkTea.id,
        quantity: 2,
        option_item_ids: [shop.normal.id, shop.tapioca.id],
      },
    ],
    use_points: false,
    ...overrides,
  };
}

interface QuoteAnswer {
  quote: {
    subtotal_amount: string;
    coupon_discount: string;
    final_amount: string;
    delivery_fee: string;
    delivery: { zone_id: number } | null;
    points: { available_points: number; required_points: number };
    problems: { code: string; message_key: string; details: Record<string, unknown> }[];
    lines: { name: string; line_total: string; options: { name: string }[] }[];
  };
}

describe('POST /api/checkout/quote', () => {
  it('answers 400 with an error body for anything that is not a checkout body', async () => {
    const garbage: Request[] = [
      jsonRequest(PATH, '{not json'),
      jsonRequest(PATH, '[]'),
      jsonRequest(PATH, 'null'),
      jsonRequest(PATH, '"text"'),
      jsonRequest(PATH, {}),
      jsonRequest(PATH, body({ store_id: 'abc' })),
      jsonRequest(PATH, body({ order_type: 'TELEPORT' })),
      jsonRequest(PATH, body({ lines: 'all of them' })),
      jsonRequest(PATH, body({ lines: [{ product_id: -1, quantity: 1 }] })),
      jsonRequest(
        PATH,
        body({ lines: Array.from({ length: 101 }, () => ({ product_id: 1, quantity: 1 })) }),
      ),
      jsonRequest(PATH, body({ use_points: 'yes please' })),
      jsonRequest(PATH, body({ store_id: 99_999_999_999 })),
      jsonRequest(PATH, body({ delivery: { latitude: 500 } })),
      new Request(`${BASE}${PATH}`, {
        method: 'POST',
        body: 'store_id=1',
        headers: { 'Content-Type': 'text/plain' },
      }),
      new Request(`${BASE}${PATH}`, { method: 'POST' }),
      formRequest(PATH, { store_id: 'x', lines: '{{', order_type: 'PICKUP' }),
    ];
    for (const request of garbage) {
      const response = await run(testDb, quoteAction, request);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message_key: string } };
      expect(answer.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        message_key: 'checkout.error.VALIDATION_FAILED',
      });
    }
  });

  it('is POST only', async () => {
    const response = await run(testDb, async () => quoteLoader(), new Request(`${BASE}${PATH}`));
    expect(response.status).toBe(405);
  });

  it('prices a guest cart from the database, money as decimal strings', async () => {
    const response = await run(
      testDb,
      quoteAction,
      jsonRequest(PATH, { ...body(), unit_price: '1.00' }),
    );
    expect(response.status).toBe(200);
    const { quote } = (await response.json()) as QuoteAnswer;
    expect(quote).toMatchObject({
      subtotal_amount: '800.00',
      final_amount: '800.00',
      problems: [],
    });
    expect(quote.lines[0]).toMatchObject({ line_total: '800.00' });
    expect(quote.lines[0]!.options.map((o) => o.name)).toEqual(['Обычный', 'Тапиока']);
    expect(quote.points.available_points).toBe(0);
  });

  it('lists domain problems in a 200 answer with their message keys', async () => {
    const response = await run(
      testDb,
      quoteAction,
      jsonRequest(
        PATH,
        body({
          lines: [
            { product_id: shop.milkTea.id, quantity: 1, option_item_ids: [] },
            { product_id: shop.soldOut.id, quantity: 1 },
          ],
        }),
      ),
    );
    expect(response.status).toBe(200);
    const { quote } = (await response.json()) as QuoteAnswer;
    expect(quote.problems.map((p) => [p.code, p.message_key])).toEqual([
      ['OPTION_REQUIRED', 'checkout.error.OPTION_REQUIRED'],
      ['PRODUCT_UNAVAILABLE', 'checkout.error.PRODUCT_UNAVAILABLE'],
    ]);
  });

  it('takes the checkout form too, and prices delivery by the point', async () => {
    const lines = JSON.stringify(body().lines);
    const inside = await run(
      testDb,
      quoteAction,
      formRequest(PATH, {
        store_id: String(shop.store.id),
        lines,
        order_type: 'DELIVERY',
        address_id: 'new',
        address_line: 'Тверская, 1',
        latitude: '55.75',
        longitude: '37.6',
      }),
    );
    const insideQuote = ((await inside.json()) as QuoteAnswer).quote;
    expect(insideQuote).toMatchObject({
      delivery_fee: '150.00',
      final_amount: '950.00',
      problems: [],
    });
    expect(insideQuote.delivery?.zone_id).toBe(shop.zone.id);

    const outside = await run(
      testDb,
      quoteAction,
      formRequest(PATH, {
        store_id: String(shop.store.id),
        lines,
        order_type: 'DELIVERY',
        address_id: 'new',
        address_line: 'Далеко, 1',
        latitude: '59.9',
        longitude: '30.3',
      }),
    );
    const outsideQuote = ((await outside.json()) as QuoteAnswer).quote;
    expect(outsideQuote.problems.map((p) => p.code)).toEqual(['DELIVERY_NOT_AVAILABLE']);
  });

  it("uses the session's member, never a member named in the body", async () => {
    const { member, cookie } = await memberSession(testDb);
    const own = await createCouponInstance(testDb.db, { member_id: member.id });
    const someoneElse = await createMember(testDb.db);
    const foreign = await createCouponInstance(testDb.db, { member_id: someoneElse.id });

    const mine = await run(
      testDb,
      quoteAction,
      jsonRequest(PATH, body({ coupon_instance_id: own.id }), cookie),
    );
    expect(((await mine.json()) as QuoteAnswer).quote).toMatchObject({
      coupon_discount: '80.00',
      final_amount: '720.00',
      problems: [],
    });

    const theirs = await run(
      testDb,
      quoteAction,
      jsonRequest(
        PATH,
        { ...body({ coupon_instance_id: foreign.id }), member_id: someoneElse.id },
        cookie,
      ),
    );
    expect(((await theirs.json()) as QuoteAnswer).quote.problems.map((p) => p.code)).toEqual([
      'COUPON_NOT_FOUND',
    ]);

    // signed out, nobody's coupon applies
    const guest = await run(
      testDb,
      quoteAction,
      jsonRequest(PATH, body({ coupon_instance_id: own.id })),
    );
    expect(((await guest.json()) as QuoteAnswer).quote.problems.map((p) => p.code)).toEqual([
      'COUPON_NOT_FOUND',
    ]);
  });

  it('reports insufficient points with the exact numbers', async () => {
    const { cookie } = await memberSession(testDb, { available_points_balance: 20_000 });
    const response = await run(
      testDb,
      quoteAction,
      jsonRequest(PATH, body({ use_points: true }), cookie),
    );
    const { quote } = (await response.json()) as QuoteAnswer;
    expect(quote.problems).toEqual([
      {
        code: 'INSUFFICIENT_POINTS',
        message_key: 'checkout.error.INSUFFICIENT_POINTS',
        details: { required_points: 80_000, available_points: 20_000, payable_amount: '800.00' },
      },
    ]);
  });
});
