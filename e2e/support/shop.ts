import { expect, type Page } from '@playwright/test';
import { translate, type MessageKey, type MessageParams } from '../../app/i18n/translate';
import { DEMO_ADMIN } from '../../db/seed/demo-users';
import { runtime, sql } from './runtime';

/**
 * Helpers of the customer ordering specs (domain.md §3.2): Russian texts from the catalogue, the
 * seeded catalogue rows the flows order, preconditions set through SQL, and database polling.
 */

/** The phone the flows sign in with; the seed never creates it, so the first sign-in registers it. */
export const E2E_PHONE = '+79001234567';
export const E2E_STORE = 'MSK-01';
/** MSK-01's cheapest and dearest products (the seed pins them to 150.00 and 450.00). */
export const CHEAPEST = { sku: 'MT-CLASSIC-M', kopecks: 15_000 } as const;
export const DEAREST = { sku: 'FT-KING-L', kopecks: 45_000 } as const;

export const ru = (key: MessageKey, params?: MessageParams) => translate('ru', key, params);

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** YYYYMMDD of an instant in Europe/Moscow (the stores' time zone, ON-1). */
export function moscowDate(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Moscow',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}${part('month')}${part('day')}`;
}

/**
 * Waits until React has hydrated the page, so controls that only work with JavaScript (the
 * checkout's switches, the live quote) react to the clicks that follow.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.getElementById('main');
    return main !== null && Object.keys(main).some((key) => key.startsWith('__reactProps$'));
  });
}

/** Polls a query until `accept` holds for its rows, then returns them. */
export async function pollRows<T extends Record<string, unknown>>(
  text: string,
  params: unknown[],
  accept: (rows: T[]) => boolean,
  { timeout = 15_000, message = text }: { timeout?: number; message?: string } = {},
): Promise<T[]> {
  let rows: T[] = [];
  await expect
    .poll(
      async () => {
        rows = await sql<T>(text, params);
        return accept(rows);
      },
      { timeout, message },
    )
    .toBe(true);
  return rows;
}

export async function productBySku(sku: string): Promise<{ id: number; name: string }> {
  const [row] = await sql<{ id: number; name_ru: string }>(
    'select id, name_ru from product where sku = $1',
    [sku],
  );
  if (!row) throw new Error(`the seed has no product ${sku}`);
  return { id: row.id, name: row.name_ru };
}

export async function storeByCode(
  code: string,
): Promise<{ id: number; name: string; telegramChatId: string | null }> {
  const [row] = await sql<{ id: number; name_ru: string; telegram_chat_id: string | null }>(
    'select id, name_ru, telegram_chat_id from store where code = $1',
    [code],
  );
  if (!row) throw new Error(`the seed has no store ${code}`);
  return { id: row.id, name: row.name_ru, telegramChatId: row.telegram_chat_id };
}

export async function memberByPhone(
  phone: string,
): Promise<{ id: number; balance: number } | null> {
  const [row] = await sql<{ id: number; available_points_balance: number }>(
    'select id, available_points_balance from member where phone = $1',
    [phone],
  );
  return row ? { id: row.id, balance: row.available_points_balance } : null;
}

/**
 * Sets a member's points balance through an ADMIN_ADJUST ledger row by the seeded admin, so the
 * balance stays the sum of the ledger (PT-3). Nothing is written when it already has that value.
 */
export async function setPointsBalance(memberId: number, balance: number): Promise<void> {
  await sql(
    `with m as (
       select id, available_points_balance as current
         from member where id = $1 for update
     ), admin as (
       select id from users where email = $3
     ), entry as (
       insert into member_points_history
              (member_id, delta, balance_after, reason, actor_user_id, description)
       select m.id, $2::integer - m.current, $2::integer, 'ADMIN_ADJUST', admin.id,
              'Баланс для сценария оплаты баллами'
         from m, admin
        where m.current <> $2::integer
       returning member_id
     )
     update member set available_points_balance = $2::integer, updated_at = now()
      where id in (select member_id from entry)`,
    [memberId, balance, DEMO_ADMIN.email],
  );
  const [row] = await sql<{ balance: number; ledger: string }>(
    `select m.available_points_balance as balance,
            (select coalesce(sum(delta), 0) from member_points_history h where h.member_id = m.id)
              as ledger
       from member m where m.id = $1`,
    [memberId],
  );
  expect(row).toEqual({ balance, ledger: String(balance) });
}

/**
 * Gives a member one UNUSED instance of a new active 10 % SIMPLE_PERCENTAGE template without a
 * minimum order, valid at every store; returns the instance and the name the picker shows.
 */
export async function issuePercentCoupon(
  memberId: number,
): Promise<{ instanceId: number; templateId: number; name: string }> {
  const code = `E2E-PCT10-${Date.now().toString(36).toUpperCase()}`;
  const name = `Скидка 10 % ${code}`;
  const [template] = await sql<{ id: number }>(
    `insert into coupon_template
            (code, name_ru, description_ru, type, discount_value, valid_from, valid_until,
             created_by)
     select $1, $2, 'Скидка 10 % на весь заказ', 'SIMPLE_PERCENTAGE', 10.00,
            now() - interval '1 day', now() + interval '30 days', u.id
       from users u where u.email = $3
     returning id`,
    [code, name, DEMO_ADMIN.email],
  );
  const [instance] = await sql<{ id: number }>(
    `insert into coupon_instance (template_id, member_id, source_type)
     values ($1, $2, 'ADMIN') returning id`,
    [template!.id, memberId],
  );
  return { instanceId: instance!.id, templateId: template!.id, name };
}

/** Messages the fake Telegram Bot API accepted for a chat. */
export async function telegramMessages(chatId: string): Promise<{ text: string }[]> {
  const base = runtime().fakes.TELEGRAM_API_BASE_URL;
  if (!base) throw new Error('the e2e server runs no Telegram fake');
  const res = await fetch(`${base}/__control/messages?chat_id=${encodeURIComponent(chatId)}`);
  const body = (await res.json()) as { messages: { text: string }[] };
  return body.messages;
}

/** Every message the fake SMS gateway kept, for any phone. */
export async function smsOutboxSize(): Promise<number> {
  const res = await fetch(`${runtime().fakes.SMS_API_BASE_URL}/outbox`);
  const body = (await res.json()) as { messages: unknown[] };
  return body.messages.length;
}
