/**
 * What happened to one order after checkout: payment attempts (PY), the iiko push (IK-10) and the
 * kitchen stages (OR-1), all as timestamps, clipped at "now" so the newest orders are still in
 * progress. Orders created in the last 100 minutes take the happy path only, so nothing
 * half-finished (a hold without a job, a sweeper that should already have run) is left behind.
 */
import type { Rng } from './random';
import { HOUR, MINUTE } from './time';

export type OrderStatus =
  | 'PENDING'
  | 'CONFIRMED'
  | 'PREPARING'
  | 'READY'
  | 'DELIVERING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'VOIDED'
  | 'REFUNDED';

export type PaymentStatus =
  | 'PENDING'
  | 'WAITING_FOR_CAPTURE'
  | 'SUCCEEDED'
  | 'CANCELED'
  | 'FAILED'
  | 'REFUNDED'
  | 'NOT_REQUIRED';

export interface PaymentPlan {
  kind: 'PAYMENT' | 'REFUND';
  attemptNo: number;
  status: 'PENDING' | 'WAITING_FOR_CAPTURE' | 'SUCCEEDED' | 'CANCELED' | 'FAILED';
  amount: number;
  providerPaymentId: string | null;
  confirmationUrl: string | null;
  failureCode: string | null;
  failureParty: string | null;
  failureReason: string | null;
  authorizedAt: number | null;
  capturedAt: number | null;
  canceledAt: number | null;
  failedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** REFUND rows: attempt_no of the captured PAYMENT they refund. */
  parentAttemptNo: number | null;
}

export interface SyncLogPlan {
  attempt: number;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  success: boolean;
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  correlationId: string;
}

export interface JobPlan {
  jobType: 'ORDER_PUSH' | 'MENU_IMPORT' | 'STOP_LIST';
  status: 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
  priority: number;
  maxAttempts: number;
  attemptCount: number;
  nextRunAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  logs: SyncLogPlan[];
  /** Filled in when rows are written (needs ids). */
  resultKind: 'order_push' | 'menu_unchanged' | 'menu_import' | 'stop_list' | null;
  meta: Record<string, number>;
}

export interface Timeline {
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  iikoSyncStatus: 'PENDING' | 'SYNCED' | 'FAILED' | 'SKIPPED';
  iikoSyncedAt: number | null;
  confirmedAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
  refundedAt: number | null;
  cancelReason: string | null;
  updatedAt: number;
  /** Kitchen stage instants (not stored on the order; used for notifications and scans). */
  stages: { preparing: number | null; ready: number | null; delivering: number | null };
  payments: PaymentPlan[];
  job: JobPlan | null;
  /** Who cancelled or refunded, for audit rows. */
  staffAction: { kind: 'cancel' | 'refund'; at: number; reason: string } | null;
}

export interface FateInput {
  createdAt: number;
  final: number;
  delivery: boolean;
  recent: boolean;
  /** Forced outcomes for the few in-flight demo orders. */
  special: 'awaiting_payment' | 'payment_failed' | null;
  /** Kitchen stage an in-flight demo order must be in at "now". */
  forceStage: 'CONFIRMED' | 'PREPARING' | 'READY' | 'DELIVERING' | null;
}

export interface FateContext {
  now: number;
  rng: Rng;
  paymentSpike: [number, number];
  iikoOutage: [number, number];
  staffCancelReasons: string[];
  refundReasons: string[];
}

const within = (t: number, [a, b]: [number, number]) => t >= a && t < b;

/** YooKassa cancellation reasons for declined payments, with the party that reports them. */
const DECLINES: [code: string, party: string, reason: string, weight: number][] = [
  ['insufficient_funds', 'issuer', 'Недостаточно средств на карте', 35],
  ['3d_secure_failed', 'payment_network', 'Не пройдена аутентификация 3-D Secure', 18],
  ['general_decline', 'issuer', 'Банк отклонил платёж без объяснения причин', 12],
  ['card_expired', 'issuer', 'Истёк срок действия карты', 8],
  ['issuer_unavailable', 'issuer', 'Банк-эмитент недоступен', 6],
  ['call_issuer', 'issuer', 'Оплата отклонена, нужно обратиться в банк', 5],
  ['fraud_suspected', 'yoo_money', 'Платёж заблокирован из-за подозрения в мошенничестве', 5],
  ['payment_method_limit_exceeded', 'issuer', 'Превышен лимит по карте', 6],
  ['invalid_card_number', 'payment_network', 'Неверный номер карты', 5],
];
const SPIKE_DECLINES: typeof DECLINES = [
  ['3d_secure_failed', 'payment_network', 'Не пройдена аутентификация 3-D Secure', 60],
  ['issuer_unavailable', 'issuer', 'Банк-эмитент недоступен', 40],
];

export function yookassaId(rng: Rng, refund = false): string {
  return `${rng.hex(8)}-${refund ? '0015' : '000f'}-5000-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;
}

function newPayment(
  kind: 'PAYMENT' | 'REFUND',
  attemptNo: number,
  amount: number,
  at: number,
): PaymentPlan {
  return {
    kind,
    attemptNo,
    status: 'PENDING',
    amount,
    providerPaymentId: null,
    confirmationUrl: null,
    failureCode: null,
    failureParty: null,
    failureReason: null,
    authorizedAt: null,
    capturedAt: null,
    canceledAt: null,
    failedAt: null,
    createdAt: at,
    updatedAt: at,
    parentAttemptNo: null,
  };
}

function withProvider(p: PaymentPlan, rng: Rng): PaymentPlan {
  p.providerPaymentId = yookassaId(rng);
  p.confirmationUrl = `https://yoomoney.ru/checkout/payments/v2/contract?orderId=${p.providerPaymentId}`;
  return p;
}

/** What one attempt of a job did (the shape every simulated iiko call produces). */
export type AttemptOutcome =
  | { ok: true; durationMs: number }
  | { ok: false; durationMs: number; http: number | null; code: string; message: string };

export type PushOutcome =
  | { ok: true; durationMs: number }
  | {
      ok: false;
      retryable: boolean;
      durationMs: number;
      http: number | null;
      code: string;
      message: string;
    };

const RETRYABLE: Omit<Extract<PushOutcome, { ok: false }>, 'durationMs'>[] = [
  {
    ok: false,
    retryable: true,
    http: null,
    code: 'TIMEOUT',
    message: 'No answer from iiko within 20 s',
  },
  {
    ok: false,
    retryable: true,
    http: 503,
    code: 'HTTP_503',
    message: 'iiko answered 503 Service Unavailable',
  },
  {
    ok: false,
    retryable: true,
    http: 429,
    code: 'HTTP_429',
    message: 'iiko answered 429 Too Many Requests',
  },
  {
    ok: false,
    retryable: true,
    http: 200,
    code: 'CREATION_IN_PROGRESS',
    message: 'deliveries/by_id still InProgress after 30 s of polling',
  },
];
const NON_RETRYABLE: Omit<Extract<PushOutcome, { ok: false }>, 'durationMs'>[] = [
  {
    ok: false,
    retryable: false,
    http: 400,
    code: 'ProductNotFound',
    message: 'Product not found in the terminal group nomenclature',
  },
  {
    ok: false,
    retryable: false,
    http: 400,
    code: 'TerminalGroupDisabled',
    message: 'Terminal group is disabled',
  },
  {
    ok: false,
    retryable: false,
    http: 400,
    code: 'RequestProductPriceIsNotEqualToFrontPrice',
    message: 'Price of a product differs from the price in the terminal',
  },
];

function failureDuration(code: string, rng: Rng): number {
  if (code === 'TIMEOUT') return 20_000 + rng.int(0, 40);
  if (code === 'CREATION_IN_PROGRESS') return 30_000 + rng.int(100, 900);
  if (code.startsWith('HTTP_')) return rng.int(60, 450);
  return Math.round(rng.logNormal(900, 0.4));
}

/** Realistic push duration: create plus polling by_id until Success (median ≈ 1.3 s, long tail). */
/** The iiko_sync_log row of one attempt (IK-4). */
export function attemptLog(
  attempt: number,
  start: number,
  outcome: AttemptOutcome,
  rng: Rng,
): SyncLogPlan {
  return {
    attempt,
    startedAt: start,
    finishedAt: start + outcome.durationMs,
    durationMs: outcome.durationMs,
    success: outcome.ok,
    httpStatus: outcome.ok ? 200 : outcome.http,
    errorCode: outcome.ok ? null : outcome.code,
    errorMessage: outcome.ok ? null : outcome.message,
    correlationId: rng.uuid(),
  };
}

export function pushDuration(rng: Rng): number {
  return Math.min(28_000, Math.max(320, Math.round(rng.logNormal(1_300, 0.5))));
}

/** IK-5: 1 min, 5 min, then 25 min, each × uniform jitter in [0.8, 1.2]. */
export function backoffMs(failedAttempt: number, rng: Rng): number {
  const base = failedAttempt === 1 ? MINUTE : failedAttempt === 2 ? 5 * MINUTE : 25 * MINUTE;
  return Math.round(base * (0.8 + rng.float() * 0.4));
}

function pushOutcome(start: number, recent: boolean, ctx: FateContext): PushOutcome {
  const { rng } = ctx;
  if (!recent && within(start, ctx.iikoOutage)) {
    return { ...RETRYABLE[1]!, durationMs: failureDuration('HTTP_503', rng) };
  }
  const r = rng.float();
  if (!recent && r < 0.009) {
    const f = rng.pick(NON_RETRYABLE);
    return { ...f, durationMs: failureDuration(f.code, rng) };
  }
  if (!recent && r < 0.04) {
    const f = rng.table(RETRYABLE.map((x, i) => [x, [5, 2, 1, 2][i] as number] as const));
    return { ...f, durationMs: failureDuration(f.code, rng) };
  }
  return { ok: true, durationMs: pushDuration(rng) };
}

/** Runs ORDER_PUSH attempts from `enqueuedAt`; returns the job and the accept/fail instant. */
function runPush(
  enqueuedAt: number,
  recent: boolean,
  ctx: FateContext,
): { job: JobPlan; ok: boolean; at: number } {
  const { rng } = ctx;
  const job: JobPlan = {
    jobType: 'ORDER_PUSH',
    status: 'PENDING',
    priority: 100,
    maxAttempts: 3,
    attemptCount: 0,
    nextRunAt: enqueuedAt,
    startedAt: null,
    finishedAt: null,
    lastError: null,
    createdAt: enqueuedAt,
    updatedAt: enqueuedAt,
    logs: [],
    resultKind: null,
    meta: {},
  };
  let start = enqueuedAt + rng.int(80, 1_800);
  for (;;) {
    job.attemptCount += 1;
    job.startedAt = start;
    const outcome = pushOutcome(start, recent, ctx);
    const finish = start + outcome.durationMs;
    job.logs.push(attemptLog(job.attemptCount, start, outcome, rng));
    job.updatedAt = finish;
    if (outcome.ok) {
      job.status = 'COMPLETED';
      job.finishedAt = finish;
      job.resultKind = 'order_push';
      return { job, ok: true, at: finish };
    }
    if (!outcome.retryable || job.attemptCount >= job.maxAttempts) {
      job.status = 'FAILED';
      job.finishedAt = finish;
      job.lastError = `${outcome.code}: ${outcome.message}`;
      return { job, ok: false, at: finish };
    }
    job.nextRunAt = finish + backoffMs(job.attemptCount, rng);
    start = job.nextRunAt + rng.int(50, 2_500);
  }
}

export function resolveOrder(input: FateInput, ctx: FateContext): Timeline {
  const { rng, now } = ctx;
  const tl: Timeline = {
    status: 'PENDING',
    paymentStatus: input.final > 0 ? 'PENDING' : 'NOT_REQUIRED',
    iikoSyncStatus: 'PENDING',
    iikoSyncedAt: null,
    confirmedAt: null,
    completedAt: null,
    cancelledAt: null,
    refundedAt: null,
    cancelReason: null,
    updatedAt: input.createdAt,
    stages: { preparing: null, ready: null, delivering: null },
    payments: [],
    job: null,
    staffAction: null,
  };
  const sweep = () => {
    // OR-4: the sweeper cancels unpaid orders 30 minutes after checkout.
    tl.status = 'CANCELLED';
    tl.paymentStatus = 'CANCELED';
    tl.cancelledAt = input.createdAt + 30 * MINUTE + rng.int(2_000, 55_000);
    tl.cancelReason = 'Время на оплату истекло';
    tl.updatedAt = tl.cancelledAt;
  };

  let hold: PaymentPlan | null = null;
  let pushFrom: number;
  if (input.final > 0) {
    if (input.special === 'awaiting_payment') {
      // Checkout committed the intent; the member has not opened the payment page yet (CK-3, CK-4).
      tl.payments.push(newPayment('PAYMENT', 1, input.final, input.createdAt));
      return tl;
    }
    let t = input.createdAt + rng.int(4_000, 25_000);
    for (let attemptNo = 1; ; attemptNo++) {
      const p = newPayment('PAYMENT', attemptNo, input.final, t);
      tl.payments.push(p);
      const spike = within(t, ctx.paymentSpike);
      const pAbandon = input.recent ? 0 : attemptNo === 1 ? 0.022 : 0.12;
      const pApi = input.recent ? 0 : 0.004;
      const pDecline = input.recent ? 0 : spike ? 0.55 : 0.042;
      const r = input.special === 'payment_failed' ? pAbandon + pApi : rng.float();
      if (r < pAbandon) {
        withProvider(p, rng);
        p.status = 'CANCELED';
        p.failureCode = 'expired_on_confirmation';
        p.failureParty = 'yoo_money';
        p.failureReason = 'Покупатель не подтвердил платёж вовремя';
        p.canceledAt = t + HOUR + rng.int(5_000, 120_000);
        p.updatedAt = p.canceledAt;
        tl.paymentStatus = 'PENDING';
        sweep();
        return tl;
      }
      let endedAt: number;
      if (r < pAbandon + pApi) {
        // HTTP 4xx from the API (PY-4): no provider payment exists.
        p.status = 'FAILED';
        p.failureCode = 'invalid_request';
        p.failureReason = 'ЮKassa отклонила запрос: некорректные данные чека';
        p.failedAt = t + rng.int(250, 1_400);
        p.updatedAt = p.failedAt;
        endedAt = p.failedAt;
      } else if (r < pAbandon + pApi + pDecline || input.special === 'payment_failed') {
        withProvider(p, rng);
        const [code, party, reason] = rng.weighted(spike ? SPIKE_DECLINES : DECLINES, (d) => d[3]);
        p.status = 'CANCELED';
        p.failureCode = code;
        p.failureParty = party;
        p.failureReason = reason;
        p.canceledAt = t + rng.int(25_000, 120_000);
        p.updatedAt = p.canceledAt;
        endedAt = p.canceledAt;
      } else {
        withProvider(p, rng);
        p.status = 'WAITING_FOR_CAPTURE';
        p.authorizedAt = t + rng.int(25_000, 150_000);
        p.updatedAt = p.authorizedAt;
        hold = p;
        break;
      }
      tl.paymentStatus = 'FAILED';
      tl.updatedAt = endedAt;
      if (input.special === 'payment_failed') return tl;
      const next = endedAt + rng.int(20_000, 240_000);
      if (attemptNo < 3 && rng.chance(0.7) && next < input.createdAt + 27 * MINUTE) {
        t = next;
        continue;
      }
      sweep();
      return tl;
    }
    tl.paymentStatus = 'WAITING_FOR_CAPTURE';
    pushFrom = (hold.authorizedAt as number) + rng.int(300, 1_500);
  } else {
    pushFrom = input.createdAt + rng.int(50, 400);
  }

  // IK-2: ORDER_PUSH is enqueued when the hold is obtained (or at checkout for free orders).
  const push = runPush(pushFrom, input.recent, ctx);
  tl.job = push.job;
  if (!push.ok) {
    tl.iikoSyncStatus = 'FAILED';
    let voidAt = push.at + rng.int(100, 900);
    if (hold) {
      // PY-8: a failed push cancels the hold, then the order is voided.
      hold.status = 'CANCELED';
      hold.failureCode = 'canceled_by_merchant';
      hold.failureParty = 'merchant';
      hold.failureReason = 'Заказ не принят кассой iiko, блокировка снята';
      hold.canceledAt = push.at + rng.int(500, 2_500);
      hold.updatedAt = hold.canceledAt;
      tl.paymentStatus = 'CANCELED';
      voidAt = hold.canceledAt + rng.int(100, 900);
    }
    tl.status = 'VOIDED';
    tl.cancelledAt = voidAt;
    tl.updatedAt = voidAt;
    return tl;
  }
  tl.iikoSyncStatus = 'SYNCED';
  tl.iikoSyncedAt = push.at;
  let confirmedAt = push.at + rng.int(100, 800);
  if (hold) {
    hold.status = 'SUCCEEDED';
    hold.capturedAt = push.at + rng.int(400, 2_500);
    hold.updatedAt = hold.capturedAt;
    tl.paymentStatus = 'SUCCEEDED';
    confirmedAt = hold.capturedAt + rng.int(100, 800);
  }
  tl.confirmedAt = confirmedAt;
  tl.status = 'CONFIRMED';
  tl.updatedAt = confirmedAt;

  let preparing = confirmedAt + rng.int(40_000, 240_000);
  let ready = preparing + rng.int(240_000, 600_000);
  let delivering = input.delivery ? ready + rng.int(120_000, 480_000) : null;
  let completed =
    delivering !== null ? delivering + rng.int(12, 40) * MINUTE : ready + rng.int(60_000, 900_000);
  if (input.forceStage) {
    // The caller created the order early enough for confirmedAt to be minutes in the past.
    const c = confirmedAt;
    switch (input.forceStage) {
      case 'CONFIRMED':
        preparing = now + 90_000;
        ready = preparing + 6 * MINUTE;
        break;
      case 'PREPARING':
        preparing = c + 2 * MINUTE;
        ready = now + 3 * MINUTE;
        break;
      case 'READY':
        preparing = c + 2 * MINUTE;
        ready = c + 9 * MINUTE;
        break;
      case 'DELIVERING':
        preparing = c + 2 * MINUTE;
        ready = c + 10 * MINUTE;
        delivering = c + 14 * MINUTE;
        break;
    }
    completed = Math.max(now, delivering ?? ready) + 8 * MINUTE;
  }

  if (!input.recent && rng.chance(0.012)) {
    // Staff cancel after confirmation: full refund of the captured payment (OR-1, PY-9).
    const at = confirmedAt + rng.int(60_000, Math.max(90_000, completed - confirmedAt - 30_000));
    tl.status = 'CANCELLED';
    tl.cancelledAt = at;
    tl.cancelReason = rng.pick(ctx.staffCancelReasons);
    tl.updatedAt = at;
    tl.staffAction = { kind: 'cancel', at, reason: tl.cancelReason };
    tl.stages.preparing = preparing < at ? preparing : null;
    if (hold) refund(tl, hold, at, rng, false);
    return tl;
  }

  tl.stages = { preparing, ready, delivering };
  const steps: [number, OrderStatus][] = [
    [preparing, 'PREPARING'],
    [ready, 'READY'],
    ...(delivering !== null ? ([[delivering, 'DELIVERING']] as [number, OrderStatus][]) : []),
    [completed, 'COMPLETED'],
  ];
  for (const [at, status] of steps) {
    if (at > now) break;
    tl.status = status;
    tl.updatedAt = at;
  }
  if (tl.status !== 'COMPLETED') {
    if (tl.stages.ready !== null && tl.stages.ready > now) tl.stages.ready = null;
    if (tl.stages.preparing !== null && tl.stages.preparing > now) tl.stages.preparing = null;
    if (tl.stages.delivering !== null && tl.stages.delivering > now) tl.stages.delivering = null;
    return tl;
  }
  tl.completedAt = completed;

  if (!input.recent && rng.chance(0.01)) {
    const at = completed + rng.int(1, 72) * HOUR + rng.int(0, 3_599_000);
    if (at < now - 10 * MINUTE) {
      tl.status = 'REFUNDED';
      tl.refundedAt = at;
      tl.updatedAt = at;
      tl.staffAction = { kind: 'refund', at, reason: rng.pick(ctx.refundReasons) };
      // Some refunds are declined once and retried by an admin later (PY-9).
      if (hold) refund(tl, hold, at, rng, at < now - 3 * HOUR && rng.chance(0.2));
    }
  }
  return tl;
}

/** PY-9: a REFUND row for the captured payment; optionally a first attempt the provider cancels. */
function refund(tl: Timeline, hold: PaymentPlan, at: number, rng: Rng, firstFails: boolean) {
  let t = at + rng.int(500, 4_000);
  let attemptNo = 1;
  if (firstFails) {
    const r = newPayment('REFUND', attemptNo++, hold.amount, t);
    r.parentAttemptNo = hold.attemptNo;
    r.providerPaymentId = yookassaId(rng, true);
    r.status = 'CANCELED';
    r.failureCode = 'general_decline';
    r.failureParty = 'yoo_money';
    r.failureReason = 'Возврат отклонён, повторите позже';
    r.canceledAt = t + rng.int(3_000, 30_000);
    r.updatedAt = r.canceledAt;
    tl.payments.push(r);
    t = r.canceledAt + rng.int(20, 90) * MINUTE;
  }
  const r = newPayment('REFUND', attemptNo, hold.amount, t);
  r.parentAttemptNo = hold.attemptNo;
  r.providerPaymentId = yookassaId(rng, true);
  r.status = 'SUCCEEDED';
  r.updatedAt = t + rng.int(3_000, 40_000);
  tl.payments.push(r);
  tl.paymentStatus = 'REFUNDED';
}
