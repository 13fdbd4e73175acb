import { expect, test, type Page } from '@playwright/test';
import { LANGUAGES } from '../../app/i18n/languages';
import { translate, type MessageKey } from '../../app/i18n/translate';
import { DEMO_ADMIN } from '../../db/seed/demo-users';
import { latestSmsCode, runtime, sql } from '../support/runtime';
import {
  E2E_STORE,
  pollRows,
  ru,
  storeByCode,
  telegramMessages,
  waitForHydration,
} from '../support/shop';

/**
 * Issue 7 acceptance (DA-3): with the fake payment server declining 20 % of payments, the payment
 * dashboard shows the P0 alert and the Telegram fake receives exactly one alert message.
 *
 * 25 real payment attempts go through the app: each order is paid through /o/<token>/pay as its
 * member (the app creates the payment at the fake YooKassa), and the fake's control API approves
 * 20 of them and declines 5 (exactly 20 %, not a random rate, so the run is deterministic); the
 * fake notifies /webhooks/yookassa and the app records each outcome. The e2e server evaluates
 * alerts every second (ALERTS_EVALUATE_EVERY_MS), and the outbox is checked after several more
 * evaluations. The orders themselves are preconditions written through SQL.
 */
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const PHONE = '+79001230417';
const ATTEMPTS = 25;
const DECLINED = 5;
const RULE = 'payment_failure_rate';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyLang = (key: MessageKey) =>
  new RegExp(`^(${LANGUAGES.map((l) => escape(translate(l, key))).join('|')})$`);

/** YYYY-MM-DD in Europe/Moscow (order numbers, ON-1). */
function moscowDay(at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(at);
}

async function signInMember(page: Page): Promise<number> {
  await sql('delete from verification_code where phone = $1', [PHONE]);
  await page.goto('/signin');
  await waitForHydration(page);
  await page.getByLabel(ru('signin.phone.label')).fill(PHONE);
  const sentAfter = Date.now();
  await page.getByRole('button', { name: ru('signin.send') }).click();
  const code = page.getByLabel(ru('signin.code.label'));
  await expect(code).toBeVisible();
  await code.fill(await latestSmsCode(PHONE, sentAfter));
  await page.getByRole('button', { name: ru('signin.verify') }).click();
  await expect(page).toHaveURL(/\/account$/);
  const [member] = await sql<{ id: number }>('select id from member where phone = $1', [PHONE]);
  return member!.id;
}

/** A PENDING 150.00 ₽ online pickup order of the member at MSK-01, ready to be paid. */
async function createUnpaidOrder(memberId: number, storeId: number) {
  const [order] = await sql<{ id: number; public_token: string }>(
    `with n as (
       insert into order_number_counter (prefix, local_date, last_value) values ('P', $1::date, 1)
       on conflict (prefix, local_date)
       do update set last_value = order_number_counter.last_value + 1, updated_at = now()
       returning last_value
     )
     insert into "order" (order_number, order_prefix, local_date, order_type, member_id, store_id,
                          customer_phone, subtotal_amount, delivery_fee, total_amount,
                          discount_amount, final_amount, points_used, points_discount,
                          coupon_discount, payment_method, payment_status, payment_provider)
     select 'P' || replace($1::text, '-', '') || lpad(n.last_value::text, 4, '0'), 'P', $1::date,
            'PICKUP', $2, $3, $4, 150.00, 0, 150.00, 0, 150.00, 0, 0, 0, 'ONLINE', 'PENDING',
            'YOOKASSA'
       from n
     returning id, public_token`,
    [moscowDay(), memberId, storeId, PHONE],
  );
  return order!;
}

async function yookassaControl(path: string, body: unknown = {}) {
  const res = await fetch(`${runtime().fakes.YOOKASSA_API_BASE_URL}/__control${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
}

async function alertChatId(): Promise<string> {
  const [row] = await sql<{ value: unknown }>(
    `select value from app_setting where key = 'alerts.telegram_chat_id'`,
  );
  expect(row?.value, 'the e2e database has an alert chat').not.toBeNull();
  return String(row!.value);
}

const alertMessages = async (chatId: string) =>
  (await telegramMessages(chatId)).filter((m) => m.text.includes(RULE));

test('20 % declined payments fire the P0 alert: one Telegram message, shown to admins', async ({
  browser,
}) => {
  const chatId = await alertChatId();
  const store = await storeByCode(E2E_STORE);
  const firesBefore = await sql(
    `select id from audit_log where entity_type = 'alert' and entity_id = $1`,
    [RULE],
  );
  expect(firesBefore, 'the seed leaves the rule quiet').toEqual([]);

  // 1. a member pays 25 orders through the app; the fake approves 20 and declines 5
  const shopper = await browser.newContext();
  await shopper.addCookies([{ name: 'ctea_lang', value: 'ru', url: runtime().baseUrl }]);
  const page = await shopper.newPage();
  const memberId = await signInMember(page);
  await yookassaControl('/decline-rate', { rate: 0 });
  const orderIds: number[] = [];
  for (let i = 0; i < ATTEMPTS; i++) {
    const order = await createUnpaidOrder(memberId, store.id);
    orderIds.push(order.id);
    const pay = await page.request.get(`/o/${order.public_token}/pay`, { maxRedirects: 0 });
    expect(pay.status(), `pay order ${order.id}`).toBe(302);
    expect(pay.headers().location).toContain(runtime().fakes.YOOKASSA_API_BASE_URL);
    const [tx] = await sql<{ provider_payment_id: string }>(
      `select provider_payment_id from payment_transaction
        where order_id = $1 and kind = 'PAYMENT' and provider_payment_id is not null`,
      [order.id],
    );
    const declined = i % (ATTEMPTS / DECLINED) === 0;
    await yookassaControl(
      `/payments/${tx!.provider_payment_id}/${declined ? 'decline' : 'approve'}`,
      declined ? { reason: 'insufficient_funds' } : {},
    );
  }
  await shopper.close();

  // 2. the webhooks recorded every outcome: 20 authorised, 5 failed (DA-1)
  await pollRows<{ succeeded: string; failed: string }>(
    `select count(*) filter (where authorized_at is not null) as succeeded,
            count(*) filter (where status = 'CANCELED' and authorized_at is null) as failed
       from payment_transaction where order_id = any($1::int[]) and kind = 'PAYMENT'`,
    [orderIds],
    (rows) =>
      rows[0]?.succeeded === String(ATTEMPTS - DECLINED) && rows[0]?.failed === String(DECLINED),
    { timeout: 30_000, message: 'payment outcomes recorded' },
  );

  // 3. the evaluator fires the rule once and the dispatcher delivers one message
  await pollRows(
    `select id from audit_log
      where entity_type = 'alert' and entity_id = $1 and action = 'alert.fire'`,
    [RULE],
    (rows) => rows.length === 1,
    { timeout: 30_000, message: 'alert.fire recorded' },
  );
  await expect
    .poll(async () => (await alertMessages(chatId)).length, { timeout: 30_000 })
    .toBeGreaterThan(0);
  // several more evaluations (one a second) while the rule stays firing
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const messages = await alertMessages(chatId);
  expect(messages).toHaveLength(1);
  expect(messages[0]!.text).toContain('P0');
  // the value when it fired: the evaluator may run before the last approvals arrive
  expect(messages[0]!.text).toMatch(/payment_failure_rate\): \d+\.\d %/);
  const transitions = await sql<{ action: string }>(
    `select action from audit_log where entity_type = 'alert' and entity_id = $1`,
    [RULE],
  );
  expect(transitions.map((t) => t.action)).toEqual(['alert.fire']);
  const queued = await sql<{ dedupe_key: string }>(
    `select dedupe_key from notification where type = 'ALERT' and dedupe_key like $1`,
    [`alert:${RULE}:%`],
  );
  expect(queued.map((n) => n.dedupe_key)).toEqual([
    expect.stringMatching(/^alert:payment_failure_rate:.*:(00|30):00\.000Z$/),
  ]);

  // 4. an admin sees it in the header of every admin page and on the payment dashboard
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await adminPage.goto('/login');
  await adminPage.getByLabel(anyLang('auth.login.email')).fill(DEMO_ADMIN.email);
  await adminPage.getByLabel(anyLang('auth.login.password')).fill(DEMO_ADMIN.password);
  await adminPage.getByRole('button', { name: anyLang('auth.login.submit') }).click();
  await expect(adminPage).toHaveURL(/\/admin$/);
  const headerAlert = adminPage.getByTestId(`header-alert-${RULE}`);
  await expect(headerAlert).toBeVisible();
  await expect(headerAlert).toHaveAttribute('href', '/admin/dashboards/payments');
  await expect(headerAlert).toHaveAttribute('data-severity', 'P0');

  await adminPage.goto('/admin/dashboards/payments');
  await expect(adminPage.getByTestId(`header-alert-${RULE}`)).toBeVisible();
  await expect(
    adminPage.locator(`[data-testid="alert-${RULE}"][data-firing="true"]`),
  ).toBeVisible();
  await admin.close();
});

test('/metrics answers the loopback scraper in Prometheus format', async ({ request }) => {
  const res = await request.get('/metrics');
  expect(res.status()).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^ctea_payment_failures_total\{provider="YOOKASSA"\} \d+$/m);
  expect(text).toContain(
    'ctea_http_request_duration_seconds_bucket{le="2",route="routes/o.$token.pay"',
  );
  expect(text).toContain('route="routes/webhooks.yookassa",status_class="2xx"');
  expect(text).not.toMatch(/route="\/o\//);
});
