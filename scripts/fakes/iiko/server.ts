import crypto from 'node:crypto';
import http from 'node:http';
import { buildFakeIikoSeed, type FakeIikoSeed, type FakeProduct } from './catalog';
import { isRecord, readBody, sendJson } from '../http';

/**
 * Local fake iikoCloud (iikoTransport) server: a separate process in development, e2e and
 * integration tests. The app's real client (app/integrations/iiko/iiko-client.server.ts) talks to
 * it exactly as to iikoCloud: the same paths, field names and error shape
 * `{correlationId, errorDescription, error}` (integrations.md §1). Documented in
 * docs/integrations/iiko-fake.md.
 *
 * iiko endpoints (all POST, JSON; every one but access_token needs `Authorization: Bearer`):
 *   /api/1/access_token {apiLogin} → {correlationId, token}; a wrong login → 401
 *   /api/1/organizations, /api/1/terminal_groups, /api/1/terminal_groups/is_alive
 *   /api/1/nomenclature {organizationId, startRevision} → the arrays are empty when
 *       startRevision equals the current revision
 *   /api/1/stop_lists {organizationIds, terminalGroupsIds?}
 *   /api/1/deliveries/create → orderInfo InProgress; a repeated order id → 400 DuplicatedOrderId
 *   /api/1/deliveries/by_id {organizationId, orderIds} → InProgress for the first N reads
 *       (default 1), then Success or the injected business error
 *   /api/1/commands/status {organizationId, correlationId}
 *
 * Control API (no auth; tests and developers):
 *   GET  /__control/state        → organization, revision, tokens, received orders, request log,
 *                                  calls in flight
 *   POST /__control/reset        → back to the seeded state
 *   POST /__control/faults       {path?: "/api/1/…"|"*", status?: 4xx|5xx, delay_ms?, count?: 1}
 *        the next `count` calls of `path` wait `delay_ms` (longer than the `Timeout` header
 *        → 408, as iiko does) and/or answer `status` with the error shape
 *   POST /__control/expire-tokens → every issued token now answers 401
 *   POST /__control/order-errors {code, count?: 1, sync?: false} → the next orders fail with
 *        iiko's `code`: in by_id's errorInfo (creationStatus Error), or at once as a 400 (sync)
 *   POST /__control/creation     {in_progress_reads: n} → by_id answers InProgress n times first
 *   POST /__control/products     {id, name?, price?, isDeleted?, code?, groupId?, type?} upsert
 *        (price in rubles, null = no price); bumps the revision unless `revision` is given
 *   POST /__control/revision     {revision}
 *   POST /__control/stop-list    {terminalGroupId, items: [{productId, balance}]} replaces it
 *   POST /__control/terminal-groups {ids: [uuid]} registers more terminal groups (test stores)
 */

export const DEFAULT_API_LOGIN = 'fake-iiko-login';
const TOKEN_TTL_MS = 60 * 60_000;
const MAX_BODY_BYTES = 1024 * 1024;
const INITIAL_REVISION = 18_300;
const MAX_LOG = 1000;

interface Fault {
  path: string;
  status: number | null;
  delayMs: number;
  remaining: number;
}

interface OrderError {
  code: string;
  sync: boolean;
  remaining: number;
}

interface StoredOrder {
  id: string;
  organizationId: string;
  terminalGroupId: string | null;
  body: Record<string, unknown>;
  reads: number;
  inProgressReads: number;
  error: string | null;
  timestamp: number;
  correlationId: string;
}

interface RequestLogEntry {
  path: string;
  status: number;
  at: string;
  timeout_header: string | null;
}

class IikoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const raw = await readBody(
    req,
    MAX_BODY_BYTES,
    () => new IikoHttpError(400, null, 'body too large'),
  );
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new IikoHttpError(400, null, 'body is not valid JSON');
  }
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
    ? (value as string[])
    : null;
}

const PHONE = /^\+\d{8,39}$/;

export interface FakeIikoServer {
  server: http.Server;
  /** The current state, for in-process tests. */
  state(): Record<string, unknown>;
}

export function createFakeIiko({
  apiLogin = DEFAULT_API_LOGIN,
  seed = buildFakeIikoSeed,
}: { apiLogin?: string; seed?: () => FakeIikoSeed } = {}): FakeIikoServer {
  let data = seed();
  let revision = INITIAL_REVISION;
  let tokens = new Map<string, number>();
  let tokensIssued = 0;
  let faults: Fault[] = [];
  let orderErrors: OrderError[] = [];
  let inProgressReads = 1;
  let orders = new Map<string, StoredOrder>();
  let requests: RequestLogEntry[] = [];
  /** iiko calls received and not answered yet (a slow fault in progress). */
  let inFlight = 0;
  /** The revision each product last changed in (for incremental nomenclature answers). */
  let changedAt = new Map<string, number>(data.products.map((p) => [p.id, revision]));

  function reset(): void {
    data = seed();
    revision = INITIAL_REVISION;
    tokens = new Map();
    tokensIssued = 0;
    faults = [];
    orderErrors = [];
    inProgressReads = 1;
    orders = new Map();
    requests = [];
    changedAt = new Map(data.products.map((p) => [p.id, revision]));
  }

  const correlationId = () => crypto.randomUUID();

  function authorize(req: http.IncomingMessage): void {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const expires = match ? tokens.get(match[1]!) : undefined;
    if (!expires || expires < Date.now())
      throw new IikoHttpError(401, null, 'Token is expired or invalid');
  }

  function checkOrganization(id: unknown): void {
    if (id !== data.organizationId)
      throw new IikoHttpError(
        400,
        'Common_OrganizationNotFound',
        `Organization ${String(id)} not found`,
      );
  }

  function checkOrganizations(ids: unknown): void {
    const list = stringArray(ids);
    if (!list || list.length === 0)
      throw new IikoHttpError(400, null, 'organizationIds is required');
    for (const id of list) checkOrganization(id);
  }

  function nextFault(path: string): Fault | null {
    const fault = faults.find((f) => f.path === path || f.path === '*');
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault);
    return fault;
  }

  function productPrice(p: FakeProduct): number | null {
    return p.sizePrices[0]?.price.currentPrice ?? null;
  }

  function orderInfo(order: StoredOrder) {
    const status =
      order.reads < order.inProgressReads ? 'InProgress' : order.error ? 'Error' : 'Success';
    return {
      id: order.id,
      posId: status === 'Success' ? order.id : null,
      externalNumber: (order.body.externalNumber as string | undefined) ?? null,
      organizationId: order.organizationId,
      timestamp: order.timestamp,
      creationStatus: status,
      errorInfo:
        status === 'Error'
          ? { code: order.error, message: `${order.error}`, description: `${order.error}` }
          : null,
      order:
        status === 'Success'
          ? {
              status: 'Unconfirmed',
              number: 1000 + orders.size,
              phone: order.body.phone,
              terminalGroupId: order.terminalGroupId,
            }
          : null,
    };
  }

  function validateOrder(order: Record<string, unknown>): string | null {
    if (typeof order.phone !== 'string' || !PHONE.test(order.phone)) return 'InvalidPhone';
    const items = Array.isArray(order.items) ? order.items : [];
    if (items.length === 0) return 'OrderItemsNotExists';
    const byId = new Map(data.products.map((p) => [p.id, p]));
    for (const item of items) {
      if (!isRecord(item)) return 'Incorrect';
      const product = byId.get(String(item.productId));
      if (!product || product.isDeleted || product.type === 'modifier') return 'ProductNotFound';
      for (const m of Array.isArray(item.modifiers) ? item.modifiers : []) {
        if (!isRecord(m)) return 'Incorrect';
        const modifier = byId.get(String(m.productId));
        if (!modifier || modifier.type !== 'modifier') return 'ProductNotFound';
        if (
          m.productGroupId !== undefined &&
          !data.groups.some((g) => g.id === m.productGroupId && g.isGroupModifier)
        )
          return 'ProductGroupNotFound';
      }
    }
    const payments = Array.isArray(order.payments) ? order.payments : [];
    for (const p of payments) {
      if (!isRecord(p)) return 'Incorrect';
      if (p.paymentTypeId !== data.paymentTypeId) return 'PaymentTypeNotFound';
      if (typeof p.sum !== 'number' || p.sum <= 0) return 'PaymentSumShouldBePositive';
    }
    return null;
  }

  async function handleApi(
    path: string,
    req: http.IncomingMessage,
  ): Promise<{ status: number; body: unknown }> {
    const body = await readJson(req);
    if (!isRecord(body)) throw new IikoHttpError(400, null, 'body must be a JSON object');

    if (path === '/api/1/access_token') {
      if (body.apiLogin !== apiLogin) throw new IikoHttpError(401, null, 'Login is not authorized');
      const token = crypto.randomBytes(24).toString('base64url');
      tokens.set(token, Date.now() + TOKEN_TTL_MS);
      tokensIssued += 1;
      return { status: 200, body: { correlationId: correlationId(), token } };
    }
    authorize(req);

    switch (path) {
      case '/api/1/organizations':
        return {
          status: 200,
          body: {
            correlationId: correlationId(),
            organizations: [
              {
                responseType: 'Simple',
                id: data.organizationId,
                name: data.organizationName,
                code: null,
              },
            ],
          },
        };
      case '/api/1/terminal_groups':
        checkOrganizations(body.organizationIds);
        return {
          status: 200,
          body: {
            correlationId: correlationId(),
            terminalGroups: [{ organizationId: data.organizationId, items: data.terminalGroups }],
            terminalGroupsInSleep: [],
          },
        };
      case '/api/1/terminal_groups/is_alive': {
        checkOrganizations(body.organizationIds);
        const ids = stringArray(body.terminalGroupIds) ?? [];
        return {
          status: 200,
          body: {
            correlationId: correlationId(),
            isAliveStatus: ids.map((id) => ({
              isAlive: data.terminalGroups.some((t) => t.id === id),
              terminalGroupId: id,
              organizationId: data.organizationId,
            })),
          },
        };
      }
      case '/api/1/nomenclature': {
        checkOrganization(body.organizationId);
        const start = typeof body.startRevision === 'number' ? body.startRevision : 0;
        if (start === revision)
          return {
            status: 200,
            body: {
              correlationId: correlationId(),
              groups: [],
              productCategories: [],
              products: [],
              sizes: [],
              revision,
            },
          };
        const products =
          start > 0 && start < revision
            ? data.products.filter((p) => (changedAt.get(p.id) ?? revision) > start)
            : data.products;
        return {
          status: 200,
          body: {
            correlationId: correlationId(),
            groups: data.groups,
            productCategories: [],
            products,
            sizes: [],
            revision,
          },
        };
      }
      case '/api/1/stop_lists': {
        checkOrganizations(body.organizationIds);
        const wanted = stringArray(body.terminalGroupsIds);
        const groups = data.terminalGroups.filter((t) => !wanted || wanted.includes(t.id));
        return {
          status: 200,
          body: {
            correlationId: correlationId(),
            terminalGroupStopLists: [
              {
                organizationId: data.organizationId,
                items: groups.map((t) => ({
                  terminalGroupId: t.id,
                  items: [...(data.stopLists.get(t.id) ?? new Map<string, number>())].map(
                    ([productId, balance]) => ({
                      balance,
                      productId,
                      sizeId: null,
                      sku: data.products.find((p) => p.id === productId)?.code ?? null,
                      dateAdd: new Date().toISOString().replace('T', ' ').slice(0, 23),
                    }),
                  ),
                })),
              },
            ],
          },
        };
      }
      case '/api/1/deliveries/create': {
        checkOrganization(body.organizationId);
        const order = body.order;
        if (!isRecord(order)) throw new IikoHttpError(400, null, 'order is required');
        const terminalGroupId =
          typeof body.terminalGroupId === 'string' ? body.terminalGroupId : null;
        if (terminalGroupId && !data.terminalGroups.some((t) => t.id === terminalGroupId))
          throw new IikoHttpError(
            400,
            'TerminalGroupUnregistered',
            `Terminal group ${terminalGroupId} is not registered`,
          );
        const id = typeof order.id === 'string' ? order.id : crypto.randomUUID();
        if (orders.has(id))
          throw new IikoHttpError(400, 'DuplicatedOrderId', `Order with id ${id} already exists`);
        const injected = orderErrors[0];
        if (injected) {
          injected.remaining -= 1;
          if (injected.remaining <= 0) orderErrors.shift();
          if (injected.sync) throw new IikoHttpError(400, injected.code, `${injected.code}`);
        }
        const stored: StoredOrder = {
          id,
          organizationId: data.organizationId,
          terminalGroupId,
          body: order,
          reads: 0,
          inProgressReads,
          error: injected ? injected.code : validateOrder(order),
          timestamp: Date.now(),
          correlationId: correlationId(),
        };
        orders.set(id, stored);
        const info = orderInfo(stored);
        return {
          status: 200,
          body: {
            correlationId: stored.correlationId,
            orderInfo: { ...info, creationStatus: 'InProgress', errorInfo: null, order: null },
          },
        };
      }
      case '/api/1/deliveries/by_id': {
        checkOrganization(body.organizationId);
        const ids = stringArray(body.orderIds) ?? [];
        const found = ids.map((id) => orders.get(id)).filter((o) => o !== undefined);
        const infos = found.map((o) => {
          const info = orderInfo(o);
          o.reads += 1;
          return info;
        });
        return { status: 200, body: { correlationId: correlationId(), orders: infos } };
      }
      case '/api/1/commands/status': {
        checkOrganization(body.organizationId);
        const order = [...orders.values()].find((o) => o.correlationId === body.correlationId);
        if (!order) throw new IikoHttpError(410, null, 'Correlation id is too old or unknown');
        const info = orderInfo(order);
        return {
          status: 200,
          body: {
            state: info.creationStatus,
            errorReason: info.errorInfo?.code ?? null,
            exception: null,
          },
        };
      }
      default:
        throw new IikoHttpError(404, null, `Unknown method ${path}`);
    }
  }

  function upsertProduct(body: Record<string, unknown>): FakeProduct {
    if (typeof body.id !== 'string' || body.id === '')
      throw new IikoHttpError(400, null, '"id" is required');
    let product = data.products.find((p) => p.id === body.id);
    if (!product) {
      product = {
        id: body.id,
        code: null,
        name: 'Новый напиток',
        description: null,
        groupId: null,
        parentGroup: null,
        productCategoryId: null,
        type: 'dish',
        orderItemType: 'Product',
        isDeleted: false,
        order: data.products.length,
        imageLinks: [],
        measureUnit: 'порц',
        weight: null,
        sizePrices: [{ sizeId: null, price: { currentPrice: 0, isIncludedInMenu: true } }],
        modifiers: [],
        groupModifiers: [],
      };
      data.products.push(product);
    }
    if (typeof body.name === 'string') product.name = body.name;
    if (typeof body.code === 'string' || body.code === null) product.code = body.code;
    if (typeof body.groupId === 'string' || body.groupId === null) product.groupId = body.groupId;
    if (body.type === 'dish' || body.type === 'good' || body.type === 'modifier')
      product.type = body.type;
    if (typeof body.isDeleted === 'boolean') product.isDeleted = body.isDeleted;
    if (body.price === null) product.sizePrices = [];
    else if (typeof body.price === 'number')
      product.sizePrices = [
        { sizeId: null, price: { currentPrice: body.price, isIncludedInMenu: true } },
      ];
    revision = typeof body.revision === 'number' ? body.revision : revision + 1;
    changedAt.set(product.id, revision);
    return product;
  }

  async function handleControl(
    route: string,
    req: http.IncomingMessage,
  ): Promise<{ status: number; body: unknown }> {
    if (route === 'GET /__control/state') return { status: 200, body: state() };
    const body = req.method === 'POST' ? await readJson(req) : {};
    if (!isRecord(body)) throw new IikoHttpError(400, null, 'body must be a JSON object');
    switch (route) {
      case 'POST /__control/reset':
        reset();
        return { status: 200, body: { ok: true } };
      case 'POST /__control/faults': {
        const count = body.count ?? 1;
        const status = body.status ?? null;
        const delayMs = body.delay_ms ?? 0;
        if (!Number.isInteger(count) || (count as number) < 1)
          throw new IikoHttpError(400, null, '"count" must be a positive integer');
        if (status !== null && (!Number.isInteger(status) || (status as number) < 400))
          throw new IikoHttpError(400, null, '"status" must be an HTTP error status');
        if (!Number.isInteger(delayMs) || (delayMs as number) < 0)
          throw new IikoHttpError(400, null, '"delay_ms" must be a non-negative integer');
        faults.push({
          path: typeof body.path === 'string' ? body.path : '*',
          status: status as number | null,
          delayMs: delayMs as number,
          remaining: count as number,
        });
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__control/expire-tokens':
        tokens.clear();
        return { status: 200, body: { ok: true } };
      case 'POST /__control/order-errors': {
        if (typeof body.code !== 'string' || body.code === '')
          throw new IikoHttpError(400, null, '"code" is required');
        orderErrors.push({
          code: body.code,
          sync: body.sync === true,
          remaining: Number.isInteger(body.count) ? (body.count as number) : 1,
        });
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__control/creation': {
        const n = body.in_progress_reads;
        if (!Number.isInteger(n) || (n as number) < 0)
          throw new IikoHttpError(400, null, '"in_progress_reads" must be an integer ≥ 0');
        inProgressReads = n as number;
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__control/products': {
        const product = upsertProduct(body);
        return { status: 200, body: { ok: true, revision, product: product.id } };
      }
      case 'POST /__control/revision':
        if (!Number.isInteger(body.revision))
          throw new IikoHttpError(400, null, '"revision" must be an integer');
        revision = body.revision as number;
        return { status: 200, body: { ok: true, revision } };
      case 'POST /__control/stop-list': {
        const tg = body.terminalGroupId;
        if (typeof tg !== 'string' || !data.terminalGroups.some((t) => t.id === tg))
          throw new IikoHttpError(400, null, 'unknown terminalGroupId');
        const items = Array.isArray(body.items) ? body.items : [];
        const list = new Map<string, number>();
        for (const item of items) {
          if (
            !isRecord(item) ||
            typeof item.productId !== 'string' ||
            typeof item.balance !== 'number'
          )
            throw new IikoHttpError(400, null, 'items must be [{productId, balance}]');
          list.set(item.productId, item.balance);
        }
        data.stopLists.set(tg, list);
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__control/terminal-groups': {
        // lets tests register the terminal groups of stores they create
        const ids = stringArray(body.ids) ?? [];
        for (const id of ids) {
          if (data.terminalGroups.some((t) => t.id === id)) continue;
          data.terminalGroups.push({
            id,
            organizationId: data.organizationId,
            name: `Terminal ${id.slice(0, 8)}`,
            address: '',
            timeZone: 'Russian Standard Time',
          });
          data.stopLists.set(id, new Map());
        }
        return { status: 200, body: { ok: true } };
      }
      default:
        throw new IikoHttpError(404, null, `Unknown control ${route}`);
    }
  }

  function state() {
    return {
      organizationId: data.organizationId,
      revision,
      paymentTypeId: data.paymentTypeId,
      discountTypeId: data.discountTypeId,
      terminalGroups: data.terminalGroups.map((t) => t.id),
      tokensIssued,
      liveTokens: tokens.size,
      inFlight,
      productPrices: Object.fromEntries(data.products.map((p) => [p.id, productPrice(p)])),
      orders: [...orders.values()].map((o) => ({
        id: o.id,
        terminalGroupId: o.terminalGroupId,
        reads: o.reads,
        error: o.error,
        body: o.body,
      })),
      requests,
    };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.iiko');
    const path = url.pathname;
    const log = (status: number) => {
      requests.push({
        path,
        status,
        at: new Date().toISOString(),
        timeout_header: (req.headers.timeout as string | undefined) ?? null,
      });
      if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);
    };
    const fail = (err: unknown) => {
      if (res.headersSent) return res.destroy();
      const status = err instanceof IikoHttpError ? err.status : 500;
      if (path.startsWith('/api/')) log(status);
      sendJson(res, status, {
        correlationId: correlationId(),
        errorDescription: err instanceof Error ? err.message : 'Internal server error',
        error: err instanceof IikoHttpError ? err.code : 'InternalServerError',
      });
    };

    if (path.startsWith('/__control/')) {
      handleControl(`${req.method} ${path}`, req).then(
        ({ status, body }) => sendJson(res, status, body),
        fail,
      );
      return;
    }
    if (req.method !== 'POST' && !(req.method === 'GET' && path === '/api/1/organizations')) {
      fail(new IikoHttpError(405, null, `${req.method} is not allowed`));
      return;
    }
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    (async () => {
      const fault = nextFault(path);
      if (fault) {
        const limitMs = Number(req.headers.timeout ?? 15) * 1000;
        if (fault.delayMs > 0) {
          await new Promise((r) => setTimeout(r, Math.min(fault.delayMs, limitMs)));
          if (fault.delayMs > limitMs)
            throw new IikoHttpError(408, null, 'Request timeout exceeded');
        }
        if (fault.status !== null)
          throw new IikoHttpError(fault.status, null, `injected failure ${fault.status}`);
      }
      return handleApi(path, req);
    })().then(({ status, body }) => {
      log(status);
      sendJson(res, status, body);
    }, fail);
  });
  return { server, state };
}
