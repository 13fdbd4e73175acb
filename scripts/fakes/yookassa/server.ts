import crypto from 'node:crypto';
import http from 'node:http';
import { isRecord, readBody, sendJson } from '../http';

/**
 * Local fake YooKassa (API v3, PY-11): a separate process in development, e2e and integration
 * tests. The app's real client (app/integrations/yookassa) talks to it exactly as to
 * https://api.yookassa.ru/v3 — same paths, field names, statuses, error body and Idempotence-Key
 * semantics.
 *
 * API (HTTP Basic `shopId:secretKey`, else 401 invalid_credentials):
 *   POST /payments                 Idempotence-Key · {amount, capture, confirmation, description,
 *                                  metadata, receipt?} → 200 payment (pending)
 *   GET  /payments/{id}            → 200 payment · 404 not_found
 *   POST /payments/{id}/capture    Idempotence-Key · {amount?} → 200 payment (succeeded)
 *   POST /payments/{id}/cancel     Idempotence-Key → 200 payment (canceled, canceled_by_merchant)
 *   POST /refunds                  Idempotence-Key · {payment_id, amount, description?} → 200 refund
 *   GET  /refunds/{id}             → 200 refund · 404 not_found
 * Idempotence: the same key with the same request returns the stored answer; the same key with
 * another request → 400 invalid_request "Idempotence key duplicated"; POST without a key → 400.
 * Errors: {"type":"error","id","code","description","parameter"?}.
 *
 * Payer side (no auth), Russian, what the customer's browser sees:
 *   GET  /checkout/{id}            confirmation page with "Оплатить" and "Отклонить" (+ reason)
 *   POST /checkout/{id}/approve    → waiting_for_capture (succeeded when capture: true); 303 to return_url
 *   POST /checkout/{id}/decline    reason=insufficient_funds… → canceled; 303 to return_url
 *
 * Every state change POSTs {"type":"notification","event":"payment.waiting_for_capture",
 * "object":{…}} to the notify URL, retrying a non-200 answer a few times.
 *
 * Control API for tests (no auth), JSON:
 *   POST /__control/faults             {endpoint, mode, count?, delay_ms?} queue faults for the next
 *                                      calls of an endpoint (payments.create, payments.get,
 *                                      payments.capture, payments.cancel, refunds.create,
 *                                      refunds.get). Modes: error (500, nothing done), error_after
 *                                      (done, then 500), delay (done, answered after delay_ms: a
 *                                      client timeout), reject (400, nothing done), expire (capture:
 *                                      the hold expired → canceled expired_on_capture), cancel
 *                                      (refund created canceled)
 *   POST /__control/decline-rate       {rate: 0..1, reason?} share of approvals that decline instead
 *   POST /__control/auto-approve       {enabled} approve every payment right after creation
 *   POST /__control/payments/{id}/approve | /decline {reason?} | /notify (re-send)
 *   POST /__control/notify-url         {url|null}
 *   GET  /__control/state              {payments, refunds, requests, notifications}
 *   POST /__control/reset              forget everything except the configuration options
 */

export const DEFAULT_SHOP_ID = '100500';
export const DEFAULT_SECRET_KEY = 'test_fake_secret_key';
const MAX_BODY_BYTES = 256 * 1024;
const MAX_KEY_LENGTH = 64;
const HOLD_DAYS = 7;
const NOTIFY_DELAYS_MS = [0, 250, 1_000, 3_000, 10_000];

type PaymentStatus = 'pending' | 'waiting_for_capture' | 'succeeded' | 'canceled';
type RefundStatus = 'pending' | 'succeeded' | 'canceled';

interface Amount {
  value: string;
  currency: string;
}

interface CancellationDetails {
  party: 'merchant' | 'yoo_money' | 'payment_network';
  reason: string;
}

export interface FakePayment {
  id: string;
  status: PaymentStatus;
  paid: boolean;
  amount: Amount;
  income_amount?: Amount;
  description?: string;
  recipient: { account_id: string; gateway_id: string };
  payment_method?: Record<string, unknown>;
  captured_at?: string;
  created_at: string;
  expires_at?: string;
  confirmation?: { type: 'redirect'; confirmation_url: string; return_url: string };
  test: true;
  refunded_amount?: Amount;
  refundable: boolean;
  metadata: Record<string, string>;
  cancellation_details?: CancellationDetails;
  authorization_details?: Record<string, unknown>;
}

export interface FakeRefund {
  id: string;
  payment_id: string;
  status: RefundStatus;
  amount: Amount;
  description?: string;
  created_at: string;
  cancellation_details?: CancellationDetails;
}

export type FaultEndpoint =
  | 'payments.create'
  | 'payments.get'
  | 'payments.capture'
  | 'payments.cancel'
  | 'refunds.create'
  | 'refunds.get';
export type FaultMode = 'error' | 'error_after' | 'delay' | 'reject' | 'expire' | 'cancel';

interface Fault {
  mode: FaultMode;
  delayMs: number;
}

interface StoredPayment {
  object: FakePayment;
  capture: boolean;
  returnUrl: string;
  confirmationUrl: string;
  createdAtMs: number;
}

interface IdempotentAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  endpoint: FaultEndpoint | null;
  idempotence_key: string | null;
  status: number;
  fault: FaultMode | null;
  replayed: boolean;
}

export interface NotificationLogEntry {
  event: string;
  object_id: string;
  object_status: string;
  url: string;
  attempts: number;
  delivered: boolean;
  last_status: number | null;
}

export interface FakeYooKassaOptions {
  shopId?: string;
  secretKey?: string;
  notifyUrl?: string | null;
  /** A payment nobody confirms is canceled (expired_on_confirmation) after this long. */
  pendingTtlMs?: number;
}

export interface FakeYooKassa {
  server: http.Server;
  payments: Map<string, StoredPayment>;
  refunds: Map<string, FakeRefund>;
  /** Resolves when every notification started so far has been delivered or given up. */
  settled(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly parameter?: string,
  ) {
    super(description);
  }
}

const invalid = (description: string, parameter?: string) =>
  new ApiError(400, 'invalid_request', description, parameter);

function errorBody(err: ApiError) {
  return {
    type: 'error',
    id: crypto.randomUUID(),
    code: err.code,
    description: err.description,
    ...(err.parameter ? { parameter: err.parameter } : {}),
  };
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

function readRequestBody(req: http.IncomingMessage): Promise<string> {
  return readBody(req, MAX_BODY_BYTES, () => invalid('Request body is too large'));
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid('Request body is not valid JSON');
  }
}

/** Stable JSON (sorted keys), so the idempotence fingerprint ignores key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const AMOUNT_VALUE = /^(\d{1,10})\.(\d{2})$/;

function kopecksOf(value: string): number {
  const m = AMOUNT_VALUE.exec(value)!;
  return Number(m[1]) * 100 + Number(m[2]);
}

function amountOf(kopecks: number, currency = 'RUB'): Amount {
  return {
    value: `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`,
    currency,
  };
}

function parseAmount(value: unknown, parameter: string): Amount {
  if (!isRecord(value)) throw invalid('Amount is missing or illegal', parameter);
  const { value: v, currency } = value;
  if (typeof v !== 'string' || !AMOUNT_VALUE.test(v) || kopecksOf(v) <= 0)
    throw invalid('Amount value is illegal', `${parameter}.value`);
  if (currency !== 'RUB') throw invalid('Currency is not supported', `${parameter}.currency`);
  return { value: v, currency };
}

function parseReceipt(value: unknown, total: number): void {
  if (value === undefined) return;
  const fail = () => invalid('Receipt is missing or illegal', 'receipt');
  if (!isRecord(value) || !Array.isArray(value.items) || value.items.length === 0) throw fail();
  const customer = value.customer;
  if (
    !isRecord(customer) ||
    (typeof customer.phone !== 'string' && typeof customer.email !== 'string')
  )
    throw fail();
  let sum = 0;
  let exact = true;
  for (const item of value.items) {
    if (!isRecord(item) || typeof item.description !== 'string' || item.description.length > 128)
      throw fail();
    if (!Number.isInteger(item.vat_code)) throw fail();
    const amount = parseAmount(item.amount, 'receipt.items.amount');
    const quantity = typeof item.quantity === 'string' ? Number(item.quantity) : item.quantity;
    if (typeof quantity !== 'number' || !(quantity > 0)) throw fail();
    if (Number.isInteger(quantity)) sum += kopecksOf(amount.value) * quantity;
    else exact = false;
  }
  if (exact && sum !== total) throw fail();
}

const CANCEL_PARTY: Record<string, CancellationDetails['party']> = {
  canceled_by_merchant: 'merchant',
  expired_on_confirmation: 'yoo_money',
  expired_on_capture: 'yoo_money',
  fraud_suspected: 'yoo_money',
  general_decline: 'payment_network',
  insufficient_funds: 'payment_network',
  card_expired: 'payment_network',
  call_issuer: 'payment_network',
  '3d_secure_failed': 'payment_network',
  country_forbidden: 'payment_network',
  identification_required: 'payment_network',
  invalid_card_number: 'payment_network',
  invalid_csc: 'payment_network',
  issuer_unavailable: 'payment_network',
  payment_method_limit_exceeded: 'payment_network',
  payment_method_restricted: 'payment_network',
  permission_revoked: 'payment_network',
  internal_timeout: 'yoo_money',
};

/** Reasons the confirmation page offers (a payer-side decline). */
const DECLINE_REASONS = [
  'insufficient_funds',
  'card_expired',
  'general_decline',
  '3d_secure_failed',
  'fraud_suspected',
  'expired_on_confirmation',
];

const FAULT_ENDPOINTS: readonly FaultEndpoint[] = [
  'payments.create',
  'payments.get',
  'payments.capture',
  'payments.cancel',
  'refunds.create',
  'refunds.get',
];
const FAULT_MODES: readonly FaultMode[] = [
  'error',
  'error_after',
  'delay',
  'reject',
  'expire',
  'cancel',
];

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function rub(amount: Amount): string {
  const [rubles, kop] = amount.value.split('.');
  return `${rubles},${kop} ₽`;
}

function basicAuthOk(header: string | undefined, shopId: string, secretKey: string): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return false;
  const given = crypto.createHash('sha256').update(Buffer.from(match[1]!, 'base64')).digest();
  const expected = crypto.createHash('sha256').update(`${shopId}:${secretKey}`).digest();
  return crypto.timingSafeEqual(given, expected);
}

/** YooKassa-shaped ids: 8-4-4-4-12 hex with the "000x-5000" middle the provider uses. */
function providerId(): string {
  const hex = crypto.randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-000f-5000-${['8', '9', 'a', 'b'][crypto.randomInt(0, 4)]}${hex.slice(9, 12)}-${hex.slice(12, 24)}`;
}

export function createFakeYooKassa(options: FakeYooKassaOptions = {}): FakeYooKassa {
  const shopId = options.shopId ?? DEFAULT_SHOP_ID;
  const secretKey = options.secretKey ?? DEFAULT_SECRET_KEY;
  const pendingTtlMs = options.pendingTtlMs ?? 60 * 60_000;
  let notifyUrl = options.notifyUrl ?? null;

  const payments = new Map<string, StoredPayment>();
  const refunds = new Map<string, FakeRefund>();
  const answers = new Map<string, IdempotentAnswer>();
  const faults = new Map<FaultEndpoint, Fault[]>();
  const requests: RequestLogEntry[] = [];
  const notifications: NotificationLogEntry[] = [];
  const inFlight = new Set<Promise<void>>();
  let declineRate = 0;
  let declineReason = 'insufficient_funds';
  let autoApprove = false;

  // --- notifications ------------------------------------------------------------------------

  function notify(event: string, object: FakePayment | FakeRefund): void {
    const url = notifyUrl;
    if (!url) return;
    const entry: NotificationLogEntry = {
      event,
      object_id: object.id,
      object_status: object.status,
      url,
      attempts: 0,
      delivered: false,
      last_status: null,
    };
    notifications.push(entry);
    const body = JSON.stringify({ type: 'notification', event, object });
    const delivery = (async () => {
      for (const delay of NOTIFY_DELAYS_MS) {
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        entry.attempts += 1;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          entry.last_status = res.status;
          await res.arrayBuffer().catch(() => undefined);
          if (res.status === 200) {
            entry.delivered = true;
            return;
          }
        } catch {
          entry.last_status = null;
        }
      }
    })();
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  }

  // --- state changes ------------------------------------------------------------------------

  function snapshot(stored: StoredPayment): FakePayment {
    const object = structuredClone(stored.object);
    if (object.status !== 'pending') delete object.confirmation;
    return object;
  }

  function cancel(stored: StoredPayment, reason: string): void {
    const p = stored.object;
    p.status = 'canceled';
    p.paid = false;
    p.refundable = false;
    delete p.expires_at;
    p.cancellation_details = { party: CANCEL_PARTY[reason] ?? 'payment_network', reason };
    notify('payment.canceled', snapshot(stored));
  }

  function succeed(stored: StoredPayment, amount: Amount): void {
    const p = stored.object;
    const kopecks = kopecksOf(amount.value);
    p.status = 'succeeded';
    p.paid = true;
    p.amount = amount;
    // the provider keeps its fee: 3.5 %, rounded half up, in integer kopecks
    p.income_amount = amountOf(kopecks - Math.floor((kopecks * 35 + 500) / 1000));
    p.captured_at = new Date().toISOString();
    p.refundable = true;
    p.refunded_amount = amountOf(0);
    delete p.expires_at;
    notify('payment.succeeded', snapshot(stored));
  }

  /** The payer confirmed: a hold (or a capture with capture: true), unless the decline rate hits. */
  function approve(stored: StoredPayment): void {
    if (stored.object.status !== 'pending') return;
    if (declineRate > 0 && Math.random() < declineRate) return cancel(stored, declineReason);
    const p = stored.object;
    p.paid = true;
    p.payment_method = {
      type: 'bank_card',
      id: p.id,
      saved: false,
      title: 'Bank card *4444',
      card: {
        first6: '555555',
        last4: '4444',
        expiry_month: '12',
        expiry_year: String(new Date().getUTCFullYear() + 3),
        card_type: 'MasterCard',
        issuer_country: 'RU',
      },
    };
    p.authorization_details = {
      rrn: String(crypto.randomInt(100_000_000, 999_999_999)),
      auth_code: String(crypto.randomInt(100_000, 999_999)),
      three_d_secure: { applied: false },
    };
    if (stored.capture) return succeed(stored, p.amount);
    p.status = 'waiting_for_capture';
    p.expires_at = new Date(Date.now() + HOLD_DAYS * 86_400_000).toISOString();
    notify('payment.waiting_for_capture', snapshot(stored));
  }

  /** Lazy expiry: unconfirmed payments and holds nobody captured end canceled, as at the provider. */
  function expireStale(): void {
    const now = Date.now();
    for (const stored of payments.values()) {
      const p = stored.object;
      if (p.status === 'pending' && now - stored.createdAtMs > pendingTtlMs)
        cancel(stored, 'expired_on_confirmation');
      else if (
        p.status === 'waiting_for_capture' &&
        p.expires_at &&
        Date.parse(p.expires_at) <= now
      )
        cancel(stored, 'expired_on_capture');
    }
  }
  const expiryTimer = setInterval(expireStale, 30_000);
  expiryTimer.unref();

  function takeFault(endpoint: FaultEndpoint): Fault | null {
    const queue = faults.get(endpoint);
    const fault = queue?.shift() ?? null;
    if (queue && queue.length === 0) faults.delete(endpoint);
    return fault;
  }

  // --- API operations -----------------------------------------------------------------------

  function createPayment(body: unknown, host: string, fault: Fault | null): FakePayment {
    if (!isRecord(body)) throw invalid('Request body must be a JSON object');
    const amount = parseAmount(body.amount, 'amount');
    if (body.capture !== undefined && typeof body.capture !== 'boolean')
      throw invalid('capture must be a boolean', 'capture');
    const confirmation = body.confirmation;
    if (
      !isRecord(confirmation) ||
      confirmation.type !== 'redirect' ||
      typeof confirmation.return_url !== 'string' ||
      !/^https?:\/\//.test(confirmation.return_url)
    )
      throw invalid('Confirmation is missing or illegal', 'confirmation');
    if (
      body.description !== undefined &&
      (typeof body.description !== 'string' || body.description.length > 128)
    )
      throw invalid('Description is too long', 'description');
    const metadata = body.metadata ?? {};
    if (
      !isRecord(metadata) ||
      Object.keys(metadata).length > 16 ||
      Object.values(metadata).some((v) => typeof v !== 'string' || v.length > 512)
    )
      throw invalid('Metadata is illegal', 'metadata');
    parseReceipt(body.receipt, kopecksOf(amount.value));
    if (fault?.mode === 'reject') throw invalid('Injected rejection', 'amount');

    const id = providerId();
    const confirmationUrl = `http://${host}/checkout/${id}`;
    const stored: StoredPayment = {
      capture: body.capture === true,
      returnUrl: confirmation.return_url,
      confirmationUrl,
      createdAtMs: Date.now(),
      object: {
        id,
        status: 'pending',
        paid: false,
        amount,
        ...(typeof body.description === 'string' ? { description: body.description } : {}),
        recipient: { account_id: shopId, gateway_id: '1000001' },
        created_at: new Date().toISOString(),
        confirmation: {
          type: 'redirect',
          confirmation_url: confirmationUrl,
          return_url: confirmation.return_url,
        },
        test: true,
        refundable: false,
        metadata: metadata as Record<string, string>,
      },
    };
    payments.set(id, stored);
    if (autoApprove) setImmediate(() => approve(stored));
    return snapshot(stored);
  }

  function paymentOr404(id: string): StoredPayment {
    const stored = payments.get(id);
    if (!stored) throw new ApiError(404, 'not_found', 'Payment not found', 'payment_id');
    return stored;
  }

  function capturePayment(id: string, body: unknown, fault: Fault | null): FakePayment {
    const stored = paymentOr404(id);
    const p = stored.object;
    if (!isRecord(body)) throw invalid('Request body must be a JSON object');
    if (p.status !== 'waiting_for_capture')
      throw invalid(`Payment is in status ${p.status} and can't be captured`, 'payment_id');
    if (fault?.mode === 'reject') throw invalid('Injected rejection', 'payment_id');
    if (fault?.mode === 'expire') {
      cancel(stored, 'expired_on_capture');
      return snapshot(stored);
    }
    let amount = p.amount;
    if (body.amount !== undefined) {
      amount = parseAmount(body.amount, 'amount');
      if (kopecksOf(amount.value) > kopecksOf(p.amount.value))
        throw invalid('Capture amount exceeds the authorized amount', 'amount');
    }
    succeed(stored, amount);
    return snapshot(stored);
  }

  function cancelPayment(id: string, fault: Fault | null): FakePayment {
    const stored = paymentOr404(id);
    if (stored.object.status !== 'waiting_for_capture')
      throw invalid(
        `Payment is in status ${stored.object.status} and can't be canceled`,
        'payment_id',
      );
    if (fault?.mode === 'reject') throw invalid('Injected rejection', 'payment_id');
    cancel(stored, 'canceled_by_merchant');
    return snapshot(stored);
  }

  function createRefund(body: unknown, fault: Fault | null): FakeRefund {
    if (!isRecord(body)) throw invalid('Request body must be a JSON object');
    if (typeof body.payment_id !== 'string') throw invalid('payment_id is missing', 'payment_id');
    const stored = paymentOr404(body.payment_id);
    const p = stored.object;
    const amount = parseAmount(body.amount, 'amount');
    if (p.status !== 'succeeded')
      throw invalid(`Payment is in status ${p.status} and can't be refunded`, 'payment_id');
    const refunded = kopecksOf(p.refunded_amount?.value ?? '0.00');
    const wanted = kopecksOf(amount.value);
    if (refunded + wanted > kopecksOf(p.amount.value))
      throw invalid('Refund amount exceeds the payment amount', 'amount');
    if (
      body.description !== undefined &&
      (typeof body.description !== 'string' || body.description.length > 250)
    )
      throw invalid('Description is too long', 'description');
    if (fault?.mode === 'reject') throw invalid('Injected rejection', 'payment_id');

    const refund: FakeRefund = {
      id: providerId(),
      payment_id: p.id,
      status: 'succeeded',
      amount,
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      created_at: new Date().toISOString(),
    };
    refunds.set(refund.id, refund);
    if (fault?.mode === 'cancel') {
      refund.status = 'canceled';
      refund.cancellation_details = { party: 'yoo_money', reason: 'rejected_by_payee' };
      notify('refund.canceled', structuredClone(refund));
      return structuredClone(refund);
    }
    p.refunded_amount = amountOf(refunded + wanted);
    p.refundable = refunded + wanted < kopecksOf(p.amount.value);
    notify('refund.succeeded', structuredClone(refund));
    return structuredClone(refund);
  }

  // --- HTTP ---------------------------------------------------------------------------------

  async function api(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    endpoint: FaultEndpoint,
    run: (body: unknown, fault: Fault | null) => unknown,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.yookassa');
    const entry: RequestLogEntry = {
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: url.pathname,
      endpoint,
      idempotence_key: null,
      status: 0,
      fault: null,
      replayed: false,
    };
    requests.push(entry);
    const respond = (status: number, body: unknown) => {
      entry.status = status;
      sendJson(res, status, body);
    };

    const raw = await readRequestBody(req);
    if (!basicAuthOk(req.headers.authorization, shopId, secretKey)) {
      return respond(
        401,
        errorBody(new ApiError(401, 'invalid_credentials', 'Login and password are incorrect')),
      );
    }

    const isPost = req.method === 'POST';
    const key = isPost ? (req.headers['idempotence-key'] as string | undefined) : undefined;
    entry.idempotence_key = key ?? null;
    if (isPost && (!key || key.length > MAX_KEY_LENGTH)) {
      return respond(
        400,
        errorBody(
          invalid(
            key
              ? 'Idempotence-Key is longer than 64 characters'
              : 'Idempotence-Key header is missing',
            'Idempotence-Key',
          ),
        ),
      );
    }

    let body: unknown;
    try {
      body = isPost ? parseJson(raw) : undefined;
    } catch (err) {
      return respond(400, errorBody(err as ApiError));
    }

    const fingerprint = `${req.method} ${url.pathname} ${canonical(body)}`;
    if (key) {
      const previous = answers.get(key);
      if (previous) {
        if (previous.fingerprint !== fingerprint)
          return respond(400, errorBody(invalid('Idempotence key duplicated', 'Idempotence-Key')));
        entry.replayed = true;
        return respond(previous.status, previous.body);
      }
    }

    const fault = takeFault(endpoint);
    entry.fault = fault?.mode ?? null;
    if (fault?.mode === 'error') {
      return respond(
        500,
        errorBody(new ApiError(500, 'internal_server_error', 'Internal server error')),
      );
    }

    let status = 200;
    let result: unknown;
    try {
      result = run(body, fault);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      status = err.status;
      result = errorBody(err);
    }
    if (key) answers.set(key, { fingerprint, status, body: result });

    if (fault?.mode === 'error_after') {
      return respond(
        500,
        errorBody(new ApiError(500, 'internal_server_error', 'Internal server error')),
      );
    }
    if (fault?.mode === 'delay' && fault.delayMs > 0) {
      await new Promise((r) => setTimeout(r, fault.delayMs));
      if (res.destroyed) {
        entry.status = -1;
        return;
      }
    }
    return respond(status, result);
  }

  function confirmationPage(stored: StoredPayment): string {
    const p = stored.object;
    const pending = p.status === 'pending';
    const statusText: Record<PaymentStatus, string> = {
      pending: 'Ожидает оплаты',
      waiting_for_capture: 'Оплачено, средства заблокированы',
      succeeded: 'Оплачено',
      canceled: 'Платёж отменён',
    };
    const reasons = DECLINE_REASONS.map(
      (r) => `<option value="${r}"${r === 'insufficient_funds' ? ' selected' : ''}>${r}</option>`,
    ).join('');
    const actions = pending
      ? `<form method="post" action="/checkout/${p.id}/approve">
      <button type="submit" data-testid="yookassa-approve">Оплатить</button>
    </form>
    <form method="post" action="/checkout/${p.id}/decline">
      <label for="reason">Причина отказа</label>
      <select id="reason" name="reason" data-testid="yookassa-decline-reason">${reasons}</select>
      <button type="submit" data-testid="yookassa-decline">Отклонить</button>
    </form>`
      : `<p><a href="${escapeHtml(stored.returnUrl)}" data-testid="yookassa-return">Вернуться в магазин</a></p>`;
    return `<!doctype html>
<html lang="ru">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ЮKassa — оплата заказа (тестовый режим)</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
form{margin:1rem 0}button{font-size:1rem;padding:.6rem 1.2rem}select{margin:0 .5rem}</style></head>
<body>
  <h1>Оплата заказа</h1>
  <p>Тестовый магазин ${escapeHtml(shopId)} · тестовый режим, деньги не списываются</p>
  <p data-testid="yookassa-description">${escapeHtml(p.description ?? '')}</p>
  <p>Сумма: <strong data-testid="yookassa-amount">${rub(p.amount)}</strong></p>
  <p>Статус: <span data-testid="yookassa-status">${statusText[p.status]}</span></p>
  ${actions}
</body>
</html>`;
  }

  async function control(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): Promise<void> {
    const body = req.method === 'POST' ? parseJson(await readRequestBody(req)) : undefined;
    const input = isRecord(body) ? body : {};

    if (req.method === 'GET' && path === '/__control/state') {
      expireStale();
      return sendJson(res, 200, {
        payments: [...payments.values()].map(snapshot),
        refunds: [...refunds.values()],
        requests,
        notifications,
        settings: {
          decline_rate: declineRate,
          decline_reason: declineReason,
          auto_approve: autoApprove,
          notify_url: notifyUrl,
        },
      });
    }
    if (req.method !== 'POST') throw new ApiError(405, 'method_not_allowed', 'POST only');

    if (path === '/__control/reset') {
      payments.clear();
      refunds.clear();
      answers.clear();
      faults.clear();
      requests.length = 0;
      notifications.length = 0;
      declineRate = 0;
      declineReason = 'insufficient_funds';
      autoApprove = false;
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__control/faults') {
      const { endpoint, mode, count = 1, delay_ms: delayMs = 0 } = input;
      if (!FAULT_ENDPOINTS.includes(endpoint as FaultEndpoint))
        throw invalid('unknown endpoint', 'endpoint');
      if (!FAULT_MODES.includes(mode as FaultMode)) throw invalid('unknown mode', 'mode');
      if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 1000)
        throw invalid('count must be 1..1000', 'count');
      if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > 120_000)
        throw invalid('delay_ms must be 0..120000', 'delay_ms');
      const queue = faults.get(endpoint as FaultEndpoint) ?? [];
      for (let i = 0; i < (count as number); i++)
        queue.push({ mode: mode as FaultMode, delayMs: delayMs as number });
      faults.set(endpoint as FaultEndpoint, queue);
      return sendJson(res, 200, { ok: true, queued: queue.length });
    }
    if (path === '/__control/decline-rate') {
      const { rate, reason } = input;
      if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
        throw invalid('rate must be 0..1', 'rate');
      if (reason !== undefined && (typeof reason !== 'string' || !(reason in CANCEL_PARTY)))
        throw invalid('unknown reason', 'reason');
      declineRate = rate;
      if (typeof reason === 'string') declineReason = reason;
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__control/auto-approve') {
      if (typeof input.enabled !== 'boolean') throw invalid('enabled must be a boolean', 'enabled');
      autoApprove = input.enabled;
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__control/notify-url') {
      const { url } = input;
      if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url)))
        throw invalid('url must be an http(s) URL or null', 'url');
      notifyUrl = url as string | null;
      return sendJson(res, 200, { ok: true });
    }
    const m = /^\/__control\/payments\/([^/]+)\/(approve|decline|notify)$/.exec(path);
    if (m) {
      const stored = paymentOr404(m[1]!);
      const action = m[2]!;
      if (action === 'approve') {
        if (stored.object.status !== 'pending') throw invalid(`payment is ${stored.object.status}`);
        approve(stored);
      } else if (action === 'decline') {
        const reason = typeof input.reason === 'string' ? input.reason : 'insufficient_funds';
        if (!(reason in CANCEL_PARTY)) throw invalid('unknown reason', 'reason');
        if (stored.object.status !== 'pending') throw invalid(`payment is ${stored.object.status}`);
        cancel(stored, reason);
      } else {
        notify(`payment.${stored.object.status}`, snapshot(stored));
      }
      return sendJson(res, 200, snapshot(stored));
    }
    throw new ApiError(404, 'not_found', 'no such control endpoint');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.yookassa');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const host = req.headers.host ?? '127.0.0.1';

    if (path.startsWith('/__control/')) return control(req, res, path);
    expireStale();

    const checkout = /^\/checkout\/([^/]+)(?:\/(approve|decline))?$/.exec(path);
    if (checkout) {
      const stored = payments.get(checkout[1]!);
      if (!stored)
        return sendHtml(
          res,
          404,
          '<!doctype html><html lang="ru"><body><h1>Платёж не найден</h1></body></html>',
        );
      if (!checkout[2] && method === 'GET') return sendHtml(res, 200, confirmationPage(stored));
      if (checkout[2] && method === 'POST') {
        const form = new URLSearchParams(await readRequestBody(req));
        if (stored.object.status === 'pending') {
          if (checkout[2] === 'approve') approve(stored);
          else {
            const reason = form.get('reason') ?? 'insufficient_funds';
            cancel(stored, DECLINE_REASONS.includes(reason) ? reason : 'insufficient_funds');
          }
        }
        return redirect(res, stored.returnUrl);
      }
      throw new ApiError(405, 'method_not_allowed', 'Method not allowed');
    }

    if (path === '/payments' && method === 'POST')
      return api(req, res, 'payments.create', (body, fault) => createPayment(body, host, fault));
    const payment = /^\/payments\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (payment) {
      const [, id, op] = payment;
      if (!op && method === 'GET')
        return api(req, res, 'payments.get', () => snapshot(paymentOr404(id!)));
      if (op === 'capture' && method === 'POST')
        return api(req, res, 'payments.capture', (body, fault) => capturePayment(id!, body, fault));
      if (op === 'cancel' && method === 'POST')
        return api(req, res, 'payments.cancel', (_body, fault) => cancelPayment(id!, fault));
      throw new ApiError(405, 'method_not_allowed', 'Method not allowed');
    }
    if (path === '/refunds' && method === 'POST')
      return api(req, res, 'refunds.create', (body, fault) => createRefund(body, fault));
    const refund = /^\/refunds\/([^/]+)$/.exec(path);
    if (refund && method === 'GET') {
      return api(req, res, 'refunds.get', () => {
        const found = refunds.get(refund[1]!);
        if (!found) throw new ApiError(404, 'not_found', 'Refund not found', 'refund_id');
        return structuredClone(found);
      });
    }
    throw new ApiError(404, 'not_found', 'Not found');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof ApiError) return sendJson(res, err.status, errorBody(err));
      sendJson(
        res,
        500,
        errorBody(new ApiError(500, 'internal_server_error', 'Unexpected fake failure')),
      );
    });
  });
  server.on('close', () => clearInterval(expiryTimer));

  return {
    server,
    payments,
    refunds,
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
