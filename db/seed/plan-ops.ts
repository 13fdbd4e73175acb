/**
 * Scheduled iiko jobs (MENU_IMPORT hourly for 30 days, STOP_LIST every 5 minutes per store for the
 * last 7 days — older scheduled runs are left out to keep the seed small) and the Telegram outbox.
 * Both share the iiko outage of the history so the sync-health dashboard and the alert line up.
 */
import { toDecimal } from '~/utils/money';
import type { Catalog } from './plan-catalog';
import {
  attemptLog,
  backoffMs,
  type AttemptOutcome,
  type JobPlan,
  type SyncLogPlan,
} from './plan-fate';
import type { History, OrderPlan } from './plan-orders';
import type { MemberPlan } from './plan-people';
import { Rng } from './random';
import { DAY, HOUR, MINUTE, yyyymmdd } from './time';

export interface ScheduledJobPlan extends JobPlan {
  resource: { kind: 'org' } | { kind: 'store'; storeIdx: number };
}

type Outcome = AttemptOutcome;

function simulateSchedule(opts: {
  from: number;
  now: number;
  intervalMs: number;
  jobType: 'MENU_IMPORT' | 'STOP_LIST';
  priority: number;
  maxAttempts: number;
  resource: ScheduledJobPlan['resource'];
  rng: Rng;
  attempt: (start: number) => Outcome;
  onSuccess: (job: ScheduledJobPlan) => void;
}): ScheduledJobPlan[] {
  const { rng, now, intervalMs } = opts;
  const jobs: ScheduledJobPlan[] = [];
  let slot = Math.ceil(opts.from / intervalMs) * intervalMs;
  while (slot <= now - MINUTE) {
    const createdAt = slot + rng.int(0, 2_000);
    const job: ScheduledJobPlan = {
      jobType: opts.jobType,
      status: 'PENDING',
      priority: opts.priority,
      maxAttempts: opts.maxAttempts,
      attemptCount: 0,
      nextRunAt: createdAt,
      startedAt: null,
      finishedAt: null,
      lastError: null,
      createdAt,
      updatedAt: createdAt,
      logs: [],
      resultKind: null,
      meta: {},
      resource: opts.resource,
    };
    jobs.push(job);
    let start = createdAt + rng.int(50, 1_500);
    for (;;) {
      const outcome = opts.attempt(start);
      const finish = start + outcome.durationMs;
      if (finish > now) return jobs; // still waiting for its next attempt: stays PENDING
      job.attemptCount += 1;
      job.startedAt = start;
      job.updatedAt = finish;
      job.logs.push(attemptLog(job.attemptCount, start, outcome, rng));
      if (outcome.ok) {
        job.status = 'COMPLETED';
        job.finishedAt = finish;
        opts.onSuccess(job);
        break;
      }
      if (job.attemptCount >= job.maxAttempts) {
        job.status = 'FAILED';
        job.finishedAt = finish;
        job.lastError = `${outcome.code}: ${outcome.message}`;
        break;
      }
      job.nextRunAt = finish + backoffMs(job.attemptCount, rng);
      start = job.nextRunAt + rng.int(50, 2_000);
    }
    // Slots while the job was pending or running were deduplicated away (IK-2).
    slot = Math.max(
      slot + intervalMs,
      Math.ceil((job.finishedAt as number) / intervalMs) * intervalMs,
    );
  }
  return jobs;
}

const OUTAGE_FAIL = (rng: Rng): Outcome =>
  rng.chance(0.7)
    ? {
        ok: false,
        durationMs: rng.int(60, 400),
        http: 503,
        code: 'HTTP_503',
        message: 'iiko answered 503 Service Unavailable',
      }
    : {
        ok: false,
        durationMs: 20_000 + rng.int(0, 40),
        http: null,
        code: 'TIMEOUT',
        message: 'No answer from iiko within 20 s',
      };

export interface MenuImportMeta {
  revisionFrom: number;
  revisionTo: number;
  updated: number;
  unchanged: number;
  conflicts: number;
}

export function buildScheduledJobs(
  now: number,
  catalog: Catalog,
  history: History,
): { jobs: ScheduledJobPlan[]; menuRevision: number } {
  const rng = new Rng('scheduled-jobs');
  const within = (t: number) => t >= history.iikoOutage[0] && t < history.iikoOutage[1];
  const hourly = HOUR;
  // Menu edits in iiko land in the next hourly import: ~8 changed revisions over 30 days.
  const changeHours = new Set<number>();
  for (const daysAgo of [28, 24, 19, 15, 11, 7, 4, 1]) {
    changeHours.add(Math.floor((now - daysAgo * DAY) / hourly) * hourly);
  }
  let revision = 18_240;
  const overrideSince = now - 12 * DAY;
  const menu = simulateSchedule({
    from: now - 30 * DAY,
    now,
    intervalMs: hourly,
    jobType: 'MENU_IMPORT',
    priority: 0,
    maxAttempts: 4,
    resource: { kind: 'org' },
    rng,
    attempt: (start) => {
      if (within(start)) return OUTAGE_FAIL(rng);
      if (rng.chance(0.01))
        return {
          ok: false,
          durationMs: 20_000 + rng.int(0, 40),
          http: null,
          code: 'TIMEOUT',
          message: 'No answer from iiko within 20 s',
        };
      const changed = changeHours.has(Math.floor(start / hourly) * hourly);
      return {
        ok: true,
        durationMs: Math.round(changed ? rng.logNormal(3_800, 0.3) : rng.logNormal(650, 0.35)),
      };
    },
    onSuccess: (job) => {
      const changed = changeHours.has(Math.floor((job.startedAt as number) / hourly) * hourly);
      if (!changed) {
        job.resultKind = 'menu_unchanged';
        return;
      }
      changeHours.delete(Math.floor((job.startedAt as number) / hourly) * hourly);
      const from = revision;
      revision += rng.int(3, 40);
      const updated = rng.int(1, 4);
      job.resultKind = 'menu_import';
      job.meta = {
        revisionFrom: from,
        revisionTo: revision,
        updated,
        unchanged: catalog.products.length - updated,
        conflicts: (job.startedAt as number) > overrideSince ? 2 : 0,
      };
    },
  });

  const stopLists: ScheduledJobPlan[] = [];
  for (const store of catalog.stores) {
    const iiko = catalog.storeProducts.filter(
      (sp) => sp.storeIdx === store.idx && sp.source === 'IIKO',
    );
    stopLists.push(
      ...simulateSchedule({
        from: now - 7 * DAY,
        now,
        intervalMs: 5 * MINUTE,
        jobType: 'STOP_LIST',
        priority: 50,
        maxAttempts: 4,
        resource: { kind: 'store', storeIdx: store.idx },
        rng,
        attempt: (start) => {
          if (within(start)) return OUTAGE_FAIL(rng);
          if (rng.chance(0.004))
            return {
              ok: false,
              durationMs: rng.int(60, 300),
              http: 502,
              code: 'HTTP_502',
              message: 'iiko answered 502 Bad Gateway',
            };
          return { ok: true, durationMs: Math.min(15_000, Math.round(rng.logNormal(380, 0.4))) };
        },
        onSuccess: (job) => {
          job.resultKind = 'stop_list';
          job.meta = {
            items: iiko.length,
            outOfStock: iiko.filter((x) => x.stock === 'OUT_OF_STOCK').length,
            lowStock: iiko.filter((x) => x.stock === 'LOW_STOCK').length,
          };
        },
      }),
    );
  }
  return { jobs: [...menu, ...stopLists], menuRevision: revision };
}

export interface NotificationPlan {
  recipientType: 'STORE_CHAT' | 'MEMBER' | 'ADMIN_CHAT';
  chatId: string;
  memberIdx: number | null;
  storeIdx: number | null;
  orderIdx: number | null;
  type: 'NEW_ORDER' | 'ORDER_STATUS' | 'ORDER_VOIDED' | 'ALERT';
  /** `{order}` is replaced by the order id when written. */
  dedupeKey: string;
  text: string;
  status: 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';
  attempts: number;
  createdAt: number;
  sentAt: number | null;
  providerMessageId: number | null;
  lastError: string | null;
}

export const ALERT_CHAT_ID = '-1001987650099';

export function orderNumber(o: OrderPlan): string {
  return `P${yyyymmdd(o.localDate)}${String(o.seq).padStart(4, '0')}`;
}

const STATUS_RU: Record<string, string> = {
  CONFIRMED: 'Подтверждён',
  READY: 'Готов к выдаче',
  DELIVERING: 'В пути',
  COMPLETED: 'Выполнен',
  CANCELLED: 'Отменён',
};

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function newOrderText(o: OrderPlan, catalog: Catalog): string {
  const lines = o.lines.map((l) => {
    const opts = l.options
      .map((x) => catalog.items[x.itemIdx]!.seed.name)
      .map((n) => `${n.ru} / ${n.zh}`);
    return `• ${escapeHtml(l.nameRu)} / ${escapeHtml(l.nameZh ?? '')} ×${l.quantity}${opts.length ? `\n  ${escapeHtml(opts.join(', '))}` : ''}`;
  });
  const how =
    o.type === 'DELIVERY'
      ? `Доставка / 外送: ${escapeHtml(o.address?.line ?? '')}`
      : 'Самовывоз / 自取';
  return [
    `<b>Новый заказ / 新订单 ${orderNumber(o)}</b>`,
    how,
    ...lines,
    `Итого / 合计: ${toDecimal(o.final)} ₽`,
  ].join('\n');
}

export function buildNotifications(
  now: number,
  catalog: Catalog,
  history: History,
  members: MemberPlan[],
  jobs: { logs: SyncLogPlan[] }[],
): NotificationPlan[] {
  const rng = new Rng('notifications');
  const out: NotificationPlan[] = [];
  const messageIds = new Map<string, number>();
  const nextId = (chat: string) => {
    const id = (messageIds.get(chat) ?? rng.int(4_000, 9_000)) + 1;
    messageIds.set(chat, id);
    return id;
  };
  const sent = (
    n: Omit<NotificationPlan, 'status' | 'attempts' | 'sentAt' | 'providerMessageId' | 'lastError'>,
  ): NotificationPlan => {
    const sentAt = n.createdAt + rng.int(300, 2_500);
    return {
      ...n,
      status: 'SENT',
      attempts: 1,
      sentAt,
      providerMessageId: nextId(n.chatId),
      lastError: null,
    };
  };

  for (const o of history.orders) {
    const store = catalog.stores[o.storeIdx]!;
    const m = members[o.memberIdx]!;
    const tl = o.tl;
    // NT-3: NEW_ORDER to the store chat when an order becomes CONFIRMED (last 24 h kept).
    if (store.seed.telegramChatId && tl.confirmedAt !== null && tl.confirmedAt > now - DAY) {
      out.push(
        sent({
          recipientType: 'STORE_CHAT',
          chatId: store.seed.telegramChatId,
          memberIdx: null,
          storeIdx: o.storeIdx,
          orderIdx: o.idx,
          type: 'NEW_ORDER',
          dedupeKey: 'new_order:{order}',
          text: newOrderText(o, catalog),
          createdAt: tl.confirmedAt,
        }),
      );
    }
    const tg = m.telegram;
    if (!tg || tg.linkedAt === null || tg.linkedAt > o.createdAt) continue;
    const memberMsg = (type: NotificationPlan['type'], key: string, text: string, at: number) => {
      const base = {
        recipientType: 'MEMBER' as const,
        chatId: String(tg.telegramId),
        memberIdx: m.idx,
        storeIdx: o.storeIdx,
        orderIdx: o.idx,
        type,
        dedupeKey: key,
        text,
        createdAt: at,
      };
      if (!tg.isBlocked) return out.push(sent(base));
      // NT-5: Telegram answers 403 for a user who blocked the bot.
      out.push({
        ...base,
        status: 'FAILED',
        attempts: 1,
        sentAt: null,
        providerMessageId: null,
        lastError: '403 Forbidden: bot was blocked by the user',
      });
    };
    if (o.tl.status === 'VOIDED') {
      memberMsg(
        'ORDER_VOIDED',
        'order_voided:{order}',
        `Заказ <b>${orderNumber(o)}</b> не принят кафе и аннулирован. Блокировка средств снята, деньги вернутся на карту.`,
        tl.cancelledAt as number,
      );
      continue;
    }
    if (tl.confirmedAt === null || tl.confirmedAt < now - 3 * DAY) continue;
    const steps: [string, number | null][] = [
      ['CONFIRMED', tl.confirmedAt],
      [
        o.type === 'DELIVERY' ? 'DELIVERING' : 'READY',
        o.type === 'DELIVERY' ? tl.stages.delivering : tl.stages.ready,
      ],
      ['COMPLETED', tl.completedAt],
      ['CANCELLED', tl.status === 'CANCELLED' ? tl.cancelledAt : null],
    ];
    for (const [status, at] of steps) {
      if (at === null) continue;
      memberMsg(
        'ORDER_STATUS',
        `order_status:{order}:${status}`,
        `Заказ <b>${orderNumber(o)}</b>: ${STATUS_RU[status]}`,
        at,
      );
    }
  }

  // DA-3 iiko_sync_failures: > 3 failed attempts in 60 min; one ALERT per 30-minute window.
  const failures = jobs
    .flatMap((j) => j.logs.filter((l) => !l.success).map((l) => l.finishedAt))
    .sort((a, b) => a - b);
  const alerted = new Set<number>();
  const [from, to] = history.iikoOutage;
  for (let t = Math.floor(from / MINUTE) * MINUTE; t < to + HOUR && t < now; t += MINUTE) {
    const count = failures.filter((f) => f > t - HOUR && f <= t).length;
    const window = Math.floor(t / (30 * MINUTE)) * 30 * MINUTE;
    if (count > 3 && !alerted.has(window)) {
      alerted.add(window);
      out.push(
        sent({
          recipientType: 'ADMIN_CHAT',
          chatId: ALERT_CHAT_ID,
          memberIdx: null,
          storeIdx: null,
          orderIdx: null,
          type: 'ALERT',
          dedupeKey: `alert:iiko_sync_failures:${new Date(window).toISOString()}`,
          text: `<b>P1 iiko_sync_failures</b>\nНеудачных попыток синхронизации с iiko за 60 минут: ${count} (порог 3).`,
          createdAt: t,
        }),
      );
    }
  }
  return out.sort((a, b) => a.createdAt - b.createdAt);
}
