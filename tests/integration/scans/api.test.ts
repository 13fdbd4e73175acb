import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDeviceKey } from '../../../app/features/scans/device-key.server';
import {
  revokeDeviceKey,
  rotateDeviceKey,
} from '../../../app/features/scans/device-key.service.server';
import { MAX_BATCH_BYTES } from '../../../app/features/scans/scans.schema';
import { action as scansAction, loader as scansLoader } from '../../../app/routes/api.v1.scans';
import { createAdmin } from '../../factories/staff';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE } from '../auth/helpers';
import {
  activeCode,
  codeCounters,
  countScans,
  postScans,
  results,
  scanEvent,
  scanRow,
  storeWithKey,
} from './helpers';

/**
 * The HTTP contract of POST /api/v1/scans (OS-2, docs/api/scans.openapi.json) and who may write:
 * only a current device key, always into the key's own store.
 */

let testDb: TestDatabase;
let code: string;
let codeId: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const c = await activeCode(testDb.db);
  code = c.code.code;
  codeId = c.code.id;
});

afterAll(async () => {
  await testDb?.destroy();
});

function errorCode(body: unknown): string | undefined {
  return (body as { error?: { code?: string } }).error?.code;
}

describe('device key: who may write', () => {
  it('refuses a missing, malformed or unknown key with 401 and stores nothing', async () => {
    await storeWithKey(testDb.db);
    const before = await countScans(testDb);
    const body = { events: [scanEvent(code)] };
    const attempts = [
      await postScans(testDb.db, { body }),
      await postScans(testDb.db, { authorization: '', body }),
      await postScans(testDb.db, { authorization: 'Basic dXNlcjpwYXNz', body }),
      await postScans(testDb.db, { authorization: 'Bearer short', body }),
      await postScans(testDb.db, { key: crypto.randomBytes(32).toString('base64url'), body }),
    ];
    for (const answer of attempts) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: {
          code: 'UNAUTHENTICATED',
          message_key: 'scans.error.UNAUTHENTICATED',
          details: {},
        },
      });
      expect(answer.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    }
    expect(await countScans(testDb)).toBe(before);
  });

  it('a rotated key replaces the old one at once; a revoked key is refused', async () => {
    const { store, key: oldKey } = await storeWithKey(testDb.db);
    const admin = await createAdmin(testDb.db);
    const rotated = await rotateDeviceKey(testDb.db, { userId: admin.id }, store.id);
    expect(rotated?.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await testDb.db
      .selectFrom('store')
      .select('scan_api_key_hash')
      .where('id', '=', store.id)
      .executeTakeFirstOrThrow();
    expect(stored.scan_api_key_hash).toBe(hashDeviceKey(rotated!.key));

    const body = () => ({ events: [scanEvent(code)] });
    expect((await postScans(testDb.db, { key: oldKey, body: body() })).status).toBe(401);
    expect((await postScans(testDb.db, { key: rotated!.key, body: body() })).status).toBe(200);

    expect(await revokeDeviceKey(testDb.db, { userId: admin.id }, store.id)).toBe('revoked');
    const before = await countScans(testDb);
    const refused = await postScans(testDb.db, { key: rotated!.key, body: body() });
    expect(refused.status).toBe(401);
    expect(await countScans(testDb)).toBe(before);
    // revoking again changes nothing
    expect(await revokeDeviceKey(testDb.db, { userId: admin.id }, store.id)).toBe('none');
  });

  it("writes into the key's store whatever the body says, and cannot touch another store's scans", async () => {
    const own = await storeWithKey(testDb.db);
    const other = await storeWithKey(testDb.db);
    const ownEvent = scanEvent(code);
    results(await postScans(testDb.db, { key: own.key, body: { events: [ownEvent] } }));

    const spoofed = { ...scanEvent(code), store_id: own.store.id, store_code: own.store.code };
    const answer = results(
      await postScans(testDb.db, {
        key: other.key,
        body: { store_id: own.store.id, events: [spoofed, ownEvent] },
      }),
    );
    expect(answer.map((r) => r.reason ?? r.result)).toEqual(['accepted', 'EVENT_ID_CONFLICT']);
    expect((await scanRow(testDb, spoofed.client_event_id as string))?.store_id).toBe(
      other.store.id,
    );
    expect(await scanRow(testDb, ownEvent.client_event_id as string)).toMatchObject({
      store_id: own.store.id,
      dup_count: 0,
    });
  });

  it('refuses the key of a deactivated store with 403', async () => {
    const { key } = await storeWithKey(testDb.db, { is_active: false });
    const before = await countScans(testDb);
    const answer = await postScans(testDb.db, { key, body: { events: [scanEvent(code)] } });
    expect(answer.status).toBe(403);
    expect(errorCode(answer.body)).toBe('STORE_INACTIVE');
    expect(await countScans(testDb)).toBe(before);
  });
});

describe('malformed batches', () => {
  it('answers 400 INVALID_BATCH to a body that is not a batch of 1..500 events', async () => {
    const { key } = await storeWithKey(testDb.db);
    const before = await countScans(testDb);
    const bodies: { body: unknown; raw?: boolean }[] = [
      { body: 'not json', raw: true },
      { body: '', raw: true },
      { body: '{"events": [', raw: true },
      { body: [] },
      { body: {} },
      { body: { events: 'many' } },
      { body: { events: {} } },
      { body: { events: [] } },
      { body: { events: Array.from({ length: 501 }, () => scanEvent(code)) } },
    ];
    for (const b of bodies) {
      const answer = await postScans(testDb.db, { key, ...b });
      expect(answer.status, JSON.stringify(b.body).slice(0, 40)).toBe(400);
      expect(errorCode(answer.body)).toBe('INVALID_BATCH');
    }
    expect(await countScans(testDb)).toBe(before);
  });

  it('takes exactly 500 events', async () => {
    const { key } = await storeWithKey(testDb.db);
    const events = Array.from({ length: 500 }, () => scanEvent(code));
    const answer = results(await postScans(testDb.db, { key, body: { events } }));
    expect(answer).toHaveLength(500);
    expect(answer.every((r) => r.result === 'accepted')).toBe(true);
  });

  it('answers 413 to a body over 1 MB, declared or streamed', async () => {
    const { key } = await storeWithKey(testDb.db);
    const before = (await codeCounters(testDb, codeId)).scan_count;
    const big = JSON.stringify({
      events: [scanEvent(code, { scanned_by: 'x', padding: 'y'.repeat(MAX_BATCH_BYTES) })],
    });
    const declared = await postScans(testDb.db, {
      key,
      body: big,
      raw: true,
      headers: { 'Content-Length': String(Buffer.byteLength(big)) },
    });
    expect(declared.status).toBe(413);
    expect(errorCode(declared.body)).toBe('PAYLOAD_TOO_LARGE');

    // no Content-Length: the limit applies while reading
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) {
          controller.enqueue(bytes.slice(i, i + 64 * 1024));
        }
        controller.close();
      },
    });
    const request = new Request(`${BASE}/api/v1/scans`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const streamed = await scansAction({
      request,
      params: {},
      context: { requestId: 'scan-test', db: testDb.db, clientIp: '127.0.0.1' },
    });
    expect(streamed.status).toBe(413);
    expect((await codeCounters(testDb, codeId)).scan_count).toBe(before);
  });

  it('answers 405 to GET', async () => {
    const response = scansLoader();
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('POST');
  });
});
