import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ingestScans,
  ingestScansEventByEvent,
} from '../../../app/features/scans/ingest.service.server';
import { createCampaign, createCampaignCode, createStore } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  activeCode,
  codeCounters,
  postScans,
  results,
  scanEvent,
  scanRow,
  storeWithKey,
} from './helpers';

/**
 * OS-2 … OS-5 through the endpoint's route module: per-event answers in input order, the OS-4
 * checks, the OS-5 upsert (C5), EVENT_ID_CONFLICT and the "already stored → duplicate" rule.
 */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

const minutes = (n: number) => n * 60_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe('C5: a duplicate scan', () => {
  it('stores one row: accepted, then duplicate with dup_count 1 and scan_count 1', async () => {
    const { key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const event = scanEvent(code.code);

    const first = results(await postScans(testDb.db, { key, body: { events: [event] } }));
    const second = results(await postScans(testDb.db, { key, body: { events: [event] } }));

    expect(first).toEqual([
      { client_event_id: event.client_event_id, result: 'accepted', scan_id: expect.any(Number) },
    ]);
    expect(second).toEqual([
      { client_event_id: event.client_event_id, result: 'duplicate', scan_id: first[0]!.scan_id },
    ]);
    const row = await scanRow(testDb, event.client_event_id as string);
    expect(row).toMatchObject({ id: first[0]!.scan_id, dup_count: 1, matched: false });
    expect(row?.last_dup_at).toBeInstanceOf(Date);
    expect((await codeCounters(testDb, code.id)).scan_count).toBe(1);
  });

  it("keeps the first sighting's data when a repeat differs", async () => {
    const { key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const event = scanEvent(code.code, { scanned_by: 'first-cashier' });
    await postScans(testDb.db, { key, body: { events: [event] } });
    const repeat = { ...event, scanned_by: 'second-cashier', order_amount: '999.00' };
    expect(
      results(await postScans(testDb.db, { key, body: { events: [repeat] } }))[0]!.result,
    ).toBe('duplicate');
    expect(await scanRow(testDb, event.client_event_id as string)).toMatchObject({
      scanned_by: 'first-cashier',
      dup_count: 1,
    });
  });

  it('answers a repeat inside one batch as a duplicate of the first', async () => {
    const { key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const event = scanEvent(code.code);
    const answer = results(
      await postScans(testDb.db, { key, body: { events: [event, event, event] } }),
    );
    expect(answer.map((r) => r.result)).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(new Set(answer.map((r) => r.scan_id)).size).toBe(1);
    expect(await scanRow(testDb, event.client_event_id as string)).toMatchObject({ dup_count: 2 });
    expect((await codeCounters(testDb, code.id)).scan_count).toBe(1);
  });
});

describe('what a stored scan holds', () => {
  it('stores every field as sent: awkward cashier names, offsets, amounts, no amount', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const names = [
      'a "quoted", {braced} name',
      'back\\slash',
      'NULL',
      '  Иван 王 ',
      'x'.repeat(100),
    ];
    const minuteAgo = new Date(Date.now() - minutes(1));
    // the same kind of instant written three ways: UTC, another offset, and with microseconds
    const moscow = new Date(minuteAgo.getTime() + minutes(180))
      .toISOString()
      .replace('Z', '+03:00');
    const micro = minuteAgo.toISOString().replace(/\.(\d{3})Z$/, '.$1456Z');
    const earlier = (n: number) => new Date(minuteAgo.getTime() - minutes(n)).toISOString();
    const stamps = [minuteAgo.toISOString(), moscow, micro, earlier(1), earlier(2)];
    const amounts = ['350', '350.5', '0.01', null, '9999999999.99'];
    const events = names.map((name, i) =>
      scanEvent(code.code, {
        scanned_by: name,
        scan_type: (['POS', 'CASHIER_APP', 'QR'] as const)[i % 3],
        scanned_at: stamps[i],
        order_amount: amounts[i],
      }),
    );
    const answer = results(await postScans(testDb.db, { key, body: { events } }));
    expect(answer.map((r) => r.result)).toEqual(Array(5).fill('accepted'));
    for (const [i, event] of events.entries()) {
      const row = await scanRow(testDb, event.client_event_id as string);
      expect(row).toMatchObject({
        store_id: store.id,
        campaign_code_id: code.id,
        scanned_by: names[i]!.trim(),
        scan_type: event.scan_type,
        order_amount: ['350.00', '350.50', '0.01', null, '9999999999.99'][i],
        dup_count: 0,
      });
      expect((row!.scanned_at as Date).getTime()).toBe(
        minuteAgo.getTime() - (i < 3 ? 0 : minutes(i - 2)),
      );
    }
  });
});

describe('a partially bad batch', () => {
  it('stores its good events and answers every event in input order', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const good1 = scanEvent(code.code, { order_amount: '350.00' });
    const good2 = scanEvent(code.code, { scan_type: 'QR' });
    const good3 = scanEvent(code.code.toLowerCase(), { scan_type: 'CASHIER_APP' });
    const unknown = scanEvent('Z9999');
    const events = [
      good1,
      { client_event_id: 'not-a-uuid', code: code.code },
      good2,
      unknown,
      'not an object',
      good3,
    ];
    const answer = results(await postScans(testDb.db, { key, body: { events } }));
    expect(answer.map((r) => [r.client_event_id, r.result, r.reason])).toEqual([
      [good1.client_event_id, 'accepted', undefined],
      ['not-a-uuid', 'rejected', 'INVALID_EVENT'],
      [good2.client_event_id, 'accepted', undefined],
      [unknown.client_event_id, 'rejected', 'SCAN_CODE_UNKNOWN'],
      [null, 'rejected', 'INVALID_EVENT'],
      [good3.client_event_id, 'accepted', undefined],
    ]);
    const rows = await testDb.db
      .selectFrom('offline_scan_log')
      .select(['client_event_id', 'scan_type', 'order_amount', 'store_id'])
      .where('campaign_code_id', '=', code.id)
      .execute();
    const byId = (a: { client_event_id: string }, b: { client_event_id: string }) =>
      a.client_event_id.localeCompare(b.client_event_id);
    expect(rows.sort(byId)).toEqual(
      [
        {
          client_event_id: good1.client_event_id as string,
          scan_type: 'POS',
          order_amount: '350.00',
        },
        { client_event_id: good2.client_event_id as string, scan_type: 'QR', order_amount: null },
        {
          client_event_id: good3.client_event_id as string,
          scan_type: 'CASHIER_APP',
          order_amount: null,
        },
      ]
        .map((r) => ({ ...r, store_id: store.id }))
        .sort(byId),
    );
    expect((await codeCounters(testDb, code.id)).scan_count).toBe(3);
  });
});

describe('OS-4 rejection reasons', () => {
  it('INVALID_EVENT for malformed fields, without storing anything', async () => {
    const { key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const bad: unknown[] = [
      scanEvent(code.code, { client_event_id: '123' }),
      scanEvent(code.code, { client_event_id: undefined }),
      scanEvent(code.code, { scan_type: 'ADMIN' }),
      scanEvent(code.code, { scan_type: 'FAX' }),
      scanEvent(code.code, { scanned_by: '' }),
      scanEvent(code.code, { scanned_by: 'x'.repeat(101) }),
      scanEvent(code.code, { scanned_at: '2026-01-06T10:00:00' }),
      scanEvent(code.code, { scanned_at: 'yesterday' }),
      scanEvent(code.code, { order_amount: '350.001' }),
      scanEvent(code.code, { order_amount: 350 }),
      scanEvent(code.code, { order_amount: '-1.00' }),
      scanEvent(code.code, { code: 42 }),
      null,
      [],
    ];
    const answer = results(await postScans(testDb.db, { key, body: { events: bad } }));
    expect(answer.map((r) => r.reason)).toEqual(bad.map(() => 'INVALID_EVENT'));
    expect(answer.every((r) => r.result === 'rejected' && r.scan_id === undefined)).toBe(true);
    expect((await codeCounters(testDb, code.id)).scan_count).toBe(0);
  });

  it('INVALID_EVENT for a time more than 5 minutes ahead or older than 30 days', async () => {
    const { key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db, {
      start_at: new Date(Date.now() - minutes(60 * 24 * 40)),
    });
    const events = [
      scanEvent(code.code, { scanned_at: at(minutes(6)) }),
      scanEvent(code.code, { scanned_at: at(-minutes(60 * 24 * 30 + 1)) }),
      scanEvent(code.code, { scanned_at: at(minutes(4)) }),
      scanEvent(code.code, { scanned_at: at(-minutes(60 * 24 * 29)) }),
      // ten minutes ago written in Moscow time: the offset is honoured, not dropped
      scanEvent(code.code, {
        scanned_at: new Date(Date.now() - minutes(10) + minutes(180))
          .toISOString()
          .replace('Z', '+03:00'),
      }),
    ];
    const answer = results(await postScans(testDb.db, { key, body: { events } }));
    expect(answer.map((r) => r.reason ?? r.result)).toEqual([
      'INVALID_EVENT',
      'INVALID_EVENT',
      'accepted',
      'accepted',
      'accepted',
    ]);
  });

  it('SCAN_CODE_UNKNOWN, SCAN_CODE_INACTIVE and CAMPAIGN_INACTIVE', async () => {
    const { key } = await storeWithKey(testDb.db);
    const inactive = await createCampaignCode(testDb.db, {
      campaign_id: (await createCampaign(testDb.db)).id,
      is_active: false,
    });
    const paused = (await activeCode(testDb.db, { status: 'PAUSED' })).code;
    const draft = (await activeCode(testDb.db, { status: 'DRAFT' })).code;
    const ended = (await activeCode(testDb.db, { status: 'ENDED' })).code;
    const future = (
      await activeCode(testDb.db, {
        start_at: new Date(Date.now() + minutes(60)),
        end_at: new Date(Date.now() + minutes(60 * 24)),
      })
    ).code;
    const over = (
      await activeCode(testDb.db, {
        start_at: new Date(Date.now() - minutes(60 * 24)),
        end_at: new Date(Date.now() - minutes(30)),
      })
    ).code;
    const events = [
      scanEvent('A0000'),
      scanEvent('NOT-A-CODE'),
      scanEvent('Q9876'),
      scanEvent(inactive.code),
      scanEvent(paused.code),
      scanEvent(draft.code),
      scanEvent(ended.code),
      scanEvent(future.code),
      // scanned inside the window, received after it closed: the scan time decides (OS-4)
      scanEvent(over.code, { scanned_at: at(-minutes(45)) }),
      scanEvent(over.code, { scanned_at: at(-minutes(10)) }),
    ];
    const answer = results(await postScans(testDb.db, { key, body: { events } }));
    expect(answer.map((r) => r.reason ?? r.result)).toEqual([
      'SCAN_CODE_UNKNOWN',
      'SCAN_CODE_UNKNOWN',
      'SCAN_CODE_UNKNOWN',
      'SCAN_CODE_INACTIVE',
      'CAMPAIGN_INACTIVE',
      'CAMPAIGN_INACTIVE',
      'CAMPAIGN_INACTIVE',
      'CAMPAIGN_INACTIVE',
      'accepted',
      'CAMPAIGN_INACTIVE',
    ]);
  });

  it('answers a retried accepted event as a duplicate after its campaign ended', async () => {
    const { key } = await storeWithKey(testDb.db);
    const { campaign, code } = await activeCode(testDb.db);
    const event = scanEvent(code.code);
    expect(results(await postScans(testDb.db, { key, body: { events: [event] } }))[0]!.result).toBe(
      'accepted',
    );
    await testDb.db
      .updateTable('campaign')
      .set({ status: 'ENDED' })
      .where('id', '=', campaign.id)
      .execute();
    const retry = results(await postScans(testDb.db, { key, body: { events: [event] } }));
    expect(retry[0]).toMatchObject({ result: 'duplicate' });
    expect(await scanRow(testDb, event.client_event_id as string)).toMatchObject({ dup_count: 1 });
    // a new event of the ended campaign is still refused
    const fresh = results(
      await postScans(testDb.db, { key, body: { events: [scanEvent(code.code)] } }),
    );
    expect(fresh[0]).toMatchObject({ result: 'rejected', reason: 'CAMPAIGN_INACTIVE' });
    expect((await codeCounters(testDb, code.id)).scan_count).toBe(1);
  });

  it('an invalid event after a valid one with the same id in one batch is a duplicate; before it, rejected', async () => {
    const { key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const id = crypto.randomUUID();
    const valid = scanEvent(code.code, { client_event_id: id });
    const invalid = scanEvent('Z0001', { client_event_id: id });
    const answer = results(
      await postScans(testDb.db, { key, body: { events: [invalid, valid, invalid] } }),
    );
    expect(answer.map((r) => r.reason ?? r.result)).toEqual([
      'SCAN_CODE_UNKNOWN',
      'accepted',
      'duplicate',
    ]);
    expect(await scanRow(testDb, id)).toMatchObject({ dup_count: 1 });
  });
});

describe('EVENT_ID_CONFLICT', () => {
  it("refuses another store's event id and leaves that store's row alone", async () => {
    const a = await storeWithKey(testDb.db);
    const b = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const event = scanEvent(code.code);
    const first = results(await postScans(testDb.db, { key: a.key, body: { events: [event] } }));
    const other = results(await postScans(testDb.db, { key: b.key, body: { events: [event] } }));
    expect(first[0]!.result).toBe('accepted');
    expect(other[0]).toEqual({
      client_event_id: event.client_event_id,
      result: 'rejected',
      reason: 'EVENT_ID_CONFLICT',
    });
    expect(await scanRow(testDb, event.client_event_id as string)).toMatchObject({
      store_id: a.store.id,
      dup_count: 0,
    });
    // an invalid event from B with A's id is not B's duplicate either
    const invalid = results(
      await postScans(testDb.db, {
        key: b.key,
        body: { events: [{ ...event, code: 'Z0002' }] },
      }),
    );
    expect(invalid[0]).toMatchObject({ result: 'rejected', reason: 'SCAN_CODE_UNKNOWN' });
    expect((await scanRow(testDb, event.client_event_id as string))?.dup_count).toBe(0);
    expect((await codeCounters(testDb, code.id)).scan_count).toBe(1);
  });
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('one batch transaction answers like one transaction per event (OS-3)', () => {
  it('gives the same answers, rows and counters on random batches', async () => {
    const { code } = await activeCode(testDb.db);
    const foreign = await createStore(testDb.db);
    for (let round = 0; round < 12; round++) {
      const rnd = random(round + 1);
      const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
      // two stores in the same state; store X holds some ids of both pools (conflicts)
      const stores = [await createStore(testDb.db), await createStore(testDb.db)];
      const pools = stores.map(() => Array.from({ length: 12 }, () => crypto.randomUUID()));
      for (const [s, store] of stores.entries()) {
        const pool = pools[s]!;
        await ingestScans(testDb.db, {
          storeId: store.id,
          events: pool.slice(0, 3).map((id) => scanEvent(code.code, { client_event_id: id })),
        });
        await ingestScans(testDb.db, {
          storeId: foreign.id,
          events: pool.slice(3, 5).map((id) => scanEvent(code.code, { client_event_id: id })),
        });
      }
      const shape = Array.from({ length: 25 }, () => ({
        slot: Math.floor(rnd() * 12),
        kind: pick(['valid', 'valid', 'valid', 'unknown', 'late', 'no-uuid'] as const),
      }));
      const batch = (pool: string[]) =>
        shape.map(({ slot, kind }) =>
          kind === 'no-uuid'
            ? scanEvent(code.code, { client_event_id: `bad-${slot}` })
            : scanEvent(kind === 'unknown' ? 'Z0003' : code.code, {
                client_event_id: pool[slot],
                scanned_at: kind === 'late' ? at(minutes(30)) : at(-minutes(1)),
              }),
        );
      const before = (await codeCounters(testDb, code.id)).scan_count;
      const viaBatch = await ingestScans(testDb.db, {
        storeId: stores[0]!.id,
        events: batch(pools[0]!),
      });
      const mid = (await codeCounters(testDb, code.id)).scan_count;
      const viaEvents = await ingestScansEventByEvent(testDb.db, {
        storeId: stores[1]!.id,
        events: batch(pools[1]!),
      });
      const after = (await codeCounters(testDb, code.id)).scan_count;

      const shapeOf = (rs: typeof viaBatch) =>
        rs.map((r) => [r.result, 'reason' in r ? r.reason : null]);
      expect(shapeOf(viaBatch), `round ${round}`).toEqual(shapeOf(viaEvents));
      expect(mid - before).toBe(after - mid);
      const dupCounts = async (storeId: number, pool: string[]) =>
        Promise.all(
          pool.map(async (id) => {
            const row = await scanRow(testDb, id);
            return row ? [row.store_id === storeId, row.dup_count] : null;
          }),
        );
      expect(await dupCounts(stores[0]!.id, pools[0]!)).toEqual(
        await dupCounts(stores[1]!.id, pools[1]!),
      );
    }
  });
});
