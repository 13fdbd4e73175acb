import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import * as listRoute from '../../../app/routes/admin.menu._index';
import * as categoriesRoute from '../../../app/routes/admin.menu.categories';
import * as optionsRoute from '../../../app/routes/admin.menu.options';
import * as newRoute from '../../../app/routes/admin.menu.products.new';
import * as productRoute from '../../../app/routes/admin.menu.products.$productId';
import * as gridRoute from '../../../app/routes/admin.menu.stores';
import * as uploadRoute from '../../../app/routes/uploads.$name';
import { createOptionGroup, createOptionItem, createProduct, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE, contextFor } from '../auth/helpers';
import {
  adminSession,
  callAction,
  fieldErrors,
  managerSession,
  type Session,
} from '../../support/staff-requests';

let testDb: TestDatabase;
let admin: Session;
let manager: Session;
let uploadDir: string;
let storeId: number;
let productId: number;

beforeAll(async () => {
  uploadDir = await mkdtemp(path.join(os.tmpdir(), 'ctea-uploads-'));
  process.env.UPLOAD_DIR = uploadDir;
  testDb = await createTestDatabase();
  await useAppDatabase(testDb); // also resets the env cache, so UPLOAD_DIR applies
  admin = await adminSession(testDb);
  storeId = (await createStore(testDb.db)).id;
  manager = await managerSession(testDb, [storeId]);
  productId = (await createProduct(testDb.db, { base_price: '350.00' })).id;
});

afterAll(async () => {
  delete process.env.UPLOAD_DIR;
  await rm(uploadDir, { recursive: true, force: true });
  await testDb?.destroy();
});

describe('a STORE_MANAGER on the admin menu', () => {
  it('gets 403 from every action and intent, and nothing changes', async () => {
    const group = await createOptionGroup(testDb.db, { group_type: 'SUGAR' });
    const item = await createOptionItem(testDb.db, group.id);
    const p = { productId: String(productId) };
    const calls = [
      [listRoute.action, { intent: 'accept-iiko', product_id: String(productId) }, {}],
      [newRoute.action, { intent: 'create', sku: 'MGR-1', name_ru: 'x', base_price: '1' }, {}],
      [productRoute.action, { intent: 'update', sku: 'X', name_ru: 'x', base_price: '1' }, p],
      [productRoute.action, { intent: 'accept-iiko' }, p],
      [
        productRoute.action,
        { intent: 'attach-group', group_id: String(group.id), default_item_id: String(item.id) },
        p,
      ],
      [productRoute.action, { intent: 'detach-group', group_id: String(group.id) }, p],
      [
        productRoute.action,
        { intent: 'set-item', item_id: String(item.id), price_delta_override: '1' },
        p,
      ],
      [categoriesRoute.action, { intent: 'create', code: 'MGR', name_ru: 'x' }, {}],
      [
        optionsRoute.action,
        { intent: 'create-group', code: 'MGR', name_ru: 'x', group_type: 'ICE' },
        {},
      ],
      [
        optionsRoute.action,
        {
          intent: 'create-item',
          group_id: String(group.id),
          code: 'MGR',
          name_ru: 'x',
          price_delta: '0',
        },
        {},
      ],
      [
        gridRoute.action,
        {
          intent: 'cell',
          store_id: String(storeId),
          product_id: String(productId),
          price_override: '1',
          stock_status: 'OUT_OF_STOCK',
        },
        {},
      ],
      [gridRoute.action, { intent: 'bulk-enable', product_id: String(productId) }, {}],
      [
        gridRoute.action,
        { intent: 'copy', from_store_id: String(storeId), to_store_id: String(storeId) },
        {},
      ],
    ] as const;
    for (const [action, fields, params] of calls) {
      const res = await callAction(testDb, action, manager, fields, { params });
      expect(res.status, `${fields.intent}`).toBe(403);
    }
    const product = await testDb.db
      .selectFrom('product')
      .select(['base_price', 'is_manual_override'])
      .where('id', '=', productId)
      .executeTakeFirstOrThrow();
    expect(product).toEqual({ base_price: '350.00', is_manual_override: false });
    const listings = await testDb.db.selectFrom('store_product').select('id').execute();
    expect(listings).toEqual([]);
    const audits = await testDb.db
      .selectFrom('audit_log')
      .select('id')
      .where('actor_user_id', '=', manager.userId)
      .execute();
    expect(audits).toEqual([]);
  });

  it('is refused a write without the CSRF token, even as an admin', async () => {
    const res = await callAction(
      testDb,
      newRoute.action,
      { ...admin, csrf: 'forged' },
      {
        intent: 'create',
        sku: 'CSRF-1',
        name_ru: 'x',
        base_price: '1',
      },
    );
    expect(res.status).toBe(403);
  });
});

// --- uploads ----------------------------------------------------------------------------------

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

function productForm(file: Blob, filename: string): FormData {
  const form = new FormData();
  form.set('image_file', file, filename);
  return form;
}

describe('image upload', () => {
  const fields = (sku: string) => ({
    intent: 'create',
    sku,
    name_ru: 'С картинкой',
    base_price: '300',
    is_active: 'on',
  });

  it('stores a PNG under a random name and serves it with cache headers', async () => {
    const res = await callAction(testDb, newRoute.action, admin, fields('IMG-OK'), {
      path: '/admin/menu/products/new',
      body: productForm(new Blob([PNG], { type: 'image/png' }), '../../etc/passwd.png'),
    });
    expect(res.status).toBe(302);
    const row = await testDb.db
      .selectFrom('product')
      .select('image_url')
      .where('sku', '=', 'IMG-OK')
      .executeTakeFirstOrThrow();
    expect(row.image_url).toMatch(/^\/uploads\/[a-f0-9]{32}\.png$/);
    const name = row.image_url!.slice('/uploads/'.length);
    expect(await readdir(uploadDir)).toEqual([name]);

    const served = (await uploadRoute.loader({
      request: new Request(`${BASE}${row.image_url}`),
      params: { name },
      context: contextFor(testDb),
    })) as Response;
    expect(served.status).toBe(200);
    expect(served.headers.get('Content-Type')).toBe('image/png');
    expect(served.headers.get('Cache-Control')).toContain('immutable');
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
  });

  it('rejects a file that is not an image, whatever it claims to be', async () => {
    const res = await callAction(testDb, newRoute.action, admin, fields('IMG-BAD'), {
      path: '/admin/menu/products/new',
      body: productForm(new Blob(['<svg onload=alert(1)>'], { type: 'image/png' }), 'x.png'),
    });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body).image_url).toEqual(['menu.error.uploadType']);
    const svg = await callAction(testDb, newRoute.action, admin, fields('IMG-SVG'), {
      path: '/admin/menu/products/new',
      body: productForm(new Blob(['<svg/>'], { type: 'image/svg+xml' }), 'x.svg'),
    });
    expect(svg.status).toBe(400);
    expect(fieldErrors(svg.body).image_url).toEqual(['menu.error.uploadType']);
    const rows = await testDb.db
      .selectFrom('product')
      .select('id')
      .where('sku', 'in', ['IMG-BAD', 'IMG-SVG'])
      .execute();
    expect(rows).toEqual([]);
  });

  it('rejects a file over 2 MB', async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG);
    const res = await callAction(testDb, newRoute.action, admin, fields('IMG-BIG'), {
      path: '/admin/menu/products/new',
      body: productForm(new Blob([big], { type: 'image/png' }), 'big.png'),
    });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body).image_url).toEqual(['menu.error.uploadSize']);
  });

  it('serves nothing outside the upload directory (path traversal, odd names)', async () => {
    const secret = path.join(uploadDir, '..', 'ctea-secret.txt');
    await writeFile(secret, 'secret');
    onTestFinished(() => rm(secret, { force: true }));
    for (const name of [
      '../ctea-secret.txt',
      '..%2Fctea-secret.txt',
      '/etc/passwd',
      'ABCDEF0123456789abcdef0123456789.png',
      '0123456789abcdef0123456789abcdef.svg',
      '0123456789abcdef0123456789abcdef.png/..',
      '',
    ]) {
      let status = 200;
      try {
        const r = (await uploadRoute.loader({
          request: new Request(`${BASE}/uploads/x`),
          params: { name },
          context: contextFor(testDb),
        })) as Response;
        status = r.status;
      } catch (err) {
        status = (err as Response).status;
      }
      expect(status, name).toBe(404);
    }
    // a well-formed name that was never stored
    await expect(
      uploadRoute.loader({
        request: new Request(`${BASE}/uploads/x`),
        params: { name: '0123456789abcdef0123456789abcdef.png' },
        context: contextFor(testDb),
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
