import crypto from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { formatPoints } from '../../app/features/cart/format';
import { formatRub, toDecimal } from '../../app/utils/money';
import { latestSmsCode, runtime, sql } from '../support/runtime';
import {
  CHEAPEST,
  DEAREST,
  E2E_PHONE,
  E2E_STORE,
  escapeRegExp,
  issuePercentCoupon,
  memberByPhone,
  moscowDate,
  pollRows,
  productBySku,
  ru,
  setPointsBalance,
  smsOutboxSize,
  storeByCode,
  telegramMessages,
  waitForHydration,
} from '../support/shop';

/**
 * Issue 5 acceptance, the seed flows of domain.md §3.2 through the storefront UI:
 *   F1 — phone sign-in (code from the fake SMS outbox) → a drink → checkout → the fake YooKassa
 *        confirmation page → a P-number order that gets confirmed;
 *   F2 — a coupon order, points and coupon excluding each other both ways, and a crafted request
 *        with both refused with nothing written;
 *   F3 — points: the insufficient hint with exact numbers, then a full deduction to 0,00 ₽ without
 *        the payment gateway.
 * The flows share one member and one signed-in browser (one code per phone per minute), so they
 * run in order in one context; a retry runs them all again on the same database, so every check
 * is about the rows this run wrote.
 */
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let page: Page;

test.beforeAll(async ({ browser }) => {
  // a retried run signs in again within the resend interval of the previous attempt
  await sql('delete from verification_code where phone = $1', [E2E_PHONE]);
  const context = await browser.newContext();
  await context.addCookies([{ name: 'ctea_lang', value: 'ru', url: runtime().baseUrl }]);
  page = await context.newPage();
});

test.afterAll(async () => {
  await page?.context().close();
});

const checkoutPath = `/checkout/${E2E_STORE}`;
const orderUrl = /\/o\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The product sheet with its preselected options → add to cart → the toast on the menu. */
async function addToCart(product: { id: number; name: string }, kopecks: number) {
  await page.goto(`/menu/${E2E_STORE}/p/${product.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
  await waitForHydration(page);
  const add = page.getByRole('button', {
    name: ru('shop.product.addToCart', { price: formatRub(kopecks) }),
  });
  await expect(add).toBeEnabled();
  await add.click();
  await expect(page).toHaveURL(new RegExp(`/menu/${E2E_STORE}$`));
  await expect(page.getByTestId('toast')).toContainText(
    ru('cart.toast.added', { name: product.name }),
  );
}

async function openCheckout() {
  await page.goto(checkoutPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('checkout.title'));
  await waitForHydration(page);
}

/** The fake YooKassa confirmation page → Approve → back on our order page; returns its token. */
async function approveOnFakeYooKassa(orderNumberShown?: (n: string) => void): Promise<string> {
  const approve = page.getByTestId('yookassa-approve');
  await expect(approve).toBeVisible();
  expect(page.url().startsWith(runtime().fakes.YOOKASSA_API_BASE_URL!)).toBe(true);
  const description = (await page.getByTestId('yookassa-description').textContent()) ?? '';
  orderNumberShown?.(description);
  await approve.click();
  await expect(page).toHaveURL(orderUrl);
  return orderUrl.exec(page.url())![1]!;
}

const checkout = {
  total: () => page.getByTestId('checkout-total'),
  pay: () => page.getByTestId('place-order'),
  pointsSwitch: () => page.getByRole('switch', { name: ru('checkout.points.label') }),
  couponPicker: () => page.getByTestId('coupon-picker'),
  couponLine: () => page.getByTestId('coupon-discount'),
  pointsLine: () => page.getByTestId('points-discount'),
};

async function openCouponPicker() {
  const picker = checkout.couponPicker();
  if ((await picker.getAttribute('open')) === null) await picker.locator('summary').click();
  await expect(picker).toHaveAttribute('open', '');
  return picker;
}

type OrderRow = {
  id: number;
  order_number: string;
  status: string;
  payment_status: string;
  payment_method: string;
  iiko_sync_status: string;
  final_amount: string;
  coupon_discount: string;
  coupon_instance_id: number | null;
  points_used: number;
  points_discount: string;
  member_id: number;
};

async function orderByToken(token: string): Promise<OrderRow> {
  const [row] = await sql<OrderRow>(
    `select id, order_number, status, payment_status, payment_method, iiko_sync_status,
            final_amount, coupon_discount, coupon_instance_id, points_used, points_discount,
            member_id
       from "order" where public_token = $1`,
    [token],
  );
  expect(row, `order ${token}`).toBeDefined();
  return row!;
}

const ordersOf = async (memberId: number) =>
  Number(
    (
      await sql<{ n: string }>('select count(*) as n from "order" where member_id = $1', [memberId])
    )[0]!.n,
  );

test('F1: phone sign-in, a drink, payment on the fake YooKassa page, a confirmed P number', async () => {
  await page.goto('/');
  await expect(page).toHaveTitle(/CTEA/);
  await waitForHydration(page);

  // 1. a malformed phone is refused in the form and nothing is sent
  await page.getByRole('link', { name: ru('shop.header.signIn') }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await waitForHydration(page);
  const smsBefore = await smsOutboxSize();
  const codesBefore = await sql('select id from verification_code');
  const phone = page.getByLabel(ru('signin.phone.label'));
  await phone.fill('123');
  await page.getByRole('button', { name: ru('signin.send') }).click();
  await expect(page.getByText(ru('signin.error.phoneFormat'))).toBeVisible();
  await expect(page.getByLabel(ru('signin.code.label'))).toHaveCount(0);
  expect(await smsOutboxSize()).toBe(smsBefore);
  expect(await sql('select id from verification_code')).toEqual(codesBefore);

  // 2. the real phone → the code from the fake SMS outbox → the profile
  const known = await memberByPhone(E2E_PHONE);
  await phone.fill('+7 900 123-45-67');
  const sentAfter = Date.now();
  await page.getByRole('button', { name: ru('signin.send') }).click();
  const codeField = page.getByLabel(ru('signin.code.label'));
  await expect(codeField).toBeVisible();
  await codeField.fill(await latestSmsCode(E2E_PHONE, sentAfter));
  await page.getByRole('button', { name: ru('signin.verify') }).click();
  await expect(page).toHaveURL(/\/account$/);
  // a new member starts with the signup bonus (a retried run meets the member it created)
  await expect(page.getByTestId('points-balance')).toHaveText(
    formatPoints(known?.balance ?? 100, 'ru'),
  );
  const member = (await memberByPhone(E2E_PHONE))!;
  if (!known) expect(member.balance).toBe(100);
  const ordersBefore = await ordersOf(member.id);

  // 3. MSK-01's menu → a product with its preselected options → the cart, with a toast
  const store = await storeByCode(E2E_STORE);
  const drink = await productBySku(CHEAPEST.sku);
  await page.goto('/');
  await page.getByRole('link', { name: store.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/menu/${E2E_STORE}$`));
  await page.locator(`a[href="/menu/${E2E_STORE}/p/${drink.id}"]`).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(drink.name);
  await waitForHydration(page);
  // every required single choice arrives preselected (PR-4)
  for (const group of await page.locator('fieldset:has(input[type="radio"])').all()) {
    await expect(group.locator('input[type="radio"]:checked')).toHaveCount(1);
  }
  await page
    .getByRole('button', {
      name: ru('shop.product.addToCart', { price: formatRub(CHEAPEST.kopecks) }),
    })
    .click();
  await expect(page).toHaveURL(new RegExp(`/menu/${E2E_STORE}$`));
  await expect(page.getByTestId('toast')).toContainText(
    ru('cart.toast.added', { name: drink.name }),
  );

  // 4. cart → checkout (pickup) → summary → pay → the fake YooKassa page → Approve
  await page.getByRole('link', { name: ru('shop.header.cartCount', { count: 1 }) }).click();
  await expect(page).toHaveURL(new RegExp(`/cart/${E2E_STORE}$`));
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('cart-line')).toContainText(drink.name);
  await page.getByRole('link', { name: ru('cart.toCheckout') }).click();
  await expect(page).toHaveURL(new RegExp(`${checkoutPath}$`));
  await waitForHydration(page);
  await expect(page.getByRole('radio', { name: ru('checkout.fulfilment.pickup') })).toBeChecked();
  const summary = page.getByTestId('checkout-summary');
  await expect(summary).toContainText(
    ru('checkout.summary.lineName', { name: drink.name, quantity: 1 }),
  );
  await expect(checkout.total()).toHaveText(formatRub(CHEAPEST.kopecks));
  await expect(checkout.pay()).toHaveText(
    ru('checkout.pay', { amount: formatRub(CHEAPEST.kopecks) }),
  );
  const dayBefore = moscowDate(new Date());
  await checkout.pay().click();
  let providerDescription = '';
  const token = await approveOnFakeYooKassa((d) => (providerDescription = d));
  const dayAfter = moscowDate(new Date());

  // 5. the order page: a P number of today (Moscow) and, soon, "Подтверждён"
  const number = page.getByTestId('order-number');
  await expect(number).toHaveText(/^P\d{12}$/, { timeout: 15_000 });
  const orderNumber = (await number.textContent())!.trim();
  expect([dayBefore, dayAfter]).toContain(orderNumber.slice(1, 9));
  expect(providerDescription).toContain(orderNumber);
  await expect(page.getByTestId('order-status')).toHaveText(ru('shop.orderStatus.CONFIRMED'), {
    timeout: 15_000,
  });

  // 6. the database agrees
  const order = await orderByToken(token);
  expect(order).toMatchObject({
    order_number: orderNumber,
    member_id: member.id,
    status: 'CONFIRMED',
    payment_status: 'SUCCEEDED',
    payment_method: 'ONLINE',
    // MSK-01 is connected to the fake iiko, which accepted the push (IK-10)
    iiko_sync_status: 'SYNCED',
    final_amount: toDecimal(CHEAPEST.kopecks),
  });
  expect(await ordersOf(member.id)).toBe(ordersBefore + 1);
  expect(
    await sql('select kind, status from payment_transaction where order_id = $1', [order.id]),
  ).toEqual([{ kind: 'PAYMENT', status: 'SUCCEEDED' }]);
  expect(
    await sql(
      `select j.status, l.success
         from iiko_sync_job j join iiko_sync_log l on l.job_id = j.id
        where j.job_type = 'ORDER_PUSH' and j.resource_id = $1`,
      [`order:${order.id}`],
    ),
  ).toEqual([{ status: 'COMPLETED', success: true }]);
  // NEW_ORDER to MSK-01's chat, delivered by the dispatcher to the fake Telegram Bot API
  expect(store.telegramChatId).not.toBeNull();
  const [notification] = await pollRows<{ status: string; chat_id: string }>(
    `select status, chat_id from notification where order_id = $1 and type = 'NEW_ORDER'`,
    [order.id],
    (rows) => rows.length === 1 && rows[0]!.status === 'SENT',
    { message: 'NEW_ORDER is SENT' },
  );
  expect(notification!.chat_id).toBe(store.telegramChatId);
  expect(
    (await telegramMessages(store.telegramChatId!)).some((m) => m.text.includes(orderNumber)),
  ).toBe(true);
});

test('F2: a coupon order; points and coupon exclude each other both ways', async () => {
  const member = (await memberByPhone(E2E_PHONE))!;
  const store = await storeByCode(E2E_STORE);
  const coupon = await issuePercentCoupon(member.id);
  const drink = await productBySku(CHEAPEST.sku);
  // 10 % of one 150,00 ₽ line, no cap and no minimum (CP-1)
  const discount = CHEAPEST.kopecks / 10;
  const discounted = CHEAPEST.kopecks - discount;

  await addToCart(drink, CHEAPEST.kopecks);
  await openCheckout();
  await expect(checkout.total()).toHaveText(formatRub(CHEAPEST.kopecks));

  // 2. choose the coupon: "Скидка по купону −X ₽", the total goes down by X
  let picker = await openCouponPicker();
  const couponChoice = picker.getByRole('radio', { name: new RegExp(escapeRegExp(coupon.name)) });
  await couponChoice.check();
  await expect(checkout.couponLine().locator('dt')).toHaveText(
    ru('checkout.summary.couponDiscount'),
  );
  await expect(checkout.couponLine().locator('dd')).toHaveText(
    ru('checkout.summary.minus', { amount: formatRub(discount) }),
  );
  await expect(checkout.total()).toHaveText(formatRub(discounted));

  // 3. the points switch is disabled, and hover or focus explains why
  const points = checkout.pointsSwitch();
  await expect(points).toBeDisabled();
  await expect(points).toHaveAttribute('aria-checked', 'false');
  await expect(points).toHaveAccessibleDescription(ru('checkout.benefits.exclusivePoints'));
  const hint = page.getByRole('tooltip');
  await expect(hint).toBeHidden();
  await points.hover();
  await expect(hint).toBeVisible();
  await expect(hint).toHaveText(ru('checkout.benefits.exclusivePoints'));
  await page.mouse.move(0, 0);
  await expect(hint).toBeHidden();
  await points.focus();
  await expect(hint).toBeVisible();
  await points.blur();

  // 4. the reverse: no coupon, points on → the picker warns and offers nothing to choose
  await picker.getByRole('radio', { name: ru('checkout.coupon.withoutCoupon') }).check();
  await expect(checkout.couponLine()).toHaveCount(0);
  await expect(checkout.total()).toHaveText(formatRub(CHEAPEST.kopecks));
  await expect(points).toBeEnabled();
  await points.click();
  await expect(points).toHaveAttribute('aria-checked', 'true');
  picker = await openCouponPicker();
  await expect(picker.getByText(ru('checkout.benefits.exclusiveCoupon'))).toBeVisible();
  const choices = picker.getByRole('radio');
  expect(await choices.count()).toBeGreaterThan(1);
  for (const choice of await choices.all()) await expect(choice).toBeDisabled();

  // 5. points off, the coupon again
  await points.click();
  await expect(points).toHaveAttribute('aria-checked', 'false');
  await expect(picker.getByText(ru('checkout.benefits.exclusiveCoupon'))).toHaveCount(0);
  await couponChoice.check();
  await expect(checkout.total()).toHaveText(formatRub(discounted));
  await expect(checkout.pay()).toHaveText(ru('checkout.pay', { amount: formatRub(discounted) }));

  // 6. the same form crafted with both a coupon and use_points → 400, nothing written (CK-2);
  //    sent before paying, while the coupon it names is still unused
  const form = page.locator('form', { has: checkout.pay() });
  const fields = {
    csrf: await form.locator('input[name="csrf"]').inputValue(),
    store_id: String(store.id),
    order_type: 'PICKUP',
    lines: await form.locator('input[name="lines"]').inputValue(),
    coupon_instance_id: String(coupon.instanceId),
    use_points: 'on',
    expected_final_amount: '0.00',
    idempotency_key: crypto.randomUUID(),
  };
  const written = () =>
    sql(
      `select (select count(*) from "order" where member_id = $1) as orders,
              (select count(*) from member_points_history where member_id = $1) as ledger,
              (select count(*) from idempotency_record where principal = 'member:' || $1) as keys,
              (select count(*) from coupon_audit_log where coupon_instance_id = $2) as coupon_audit,
              (select status from coupon_instance where id = $2) as coupon_status,
              (select current_usage_count from coupon_template where id = $3) as coupon_uses`,
      [member.id, coupon.instanceId, coupon.templateId],
    );
  const before = await written();
  expect(before[0]).toMatchObject({ coupon_status: 'UNUSED', coupon_uses: 0 });
  const refused = await page.request.post(
    `${checkoutPath}?_data=${encodeURIComponent('routes/_shop.checkout.$storeCode')}`,
    { form: fields, headers: { Origin: runtime().baseUrl } },
  );
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({
    error: { code: 'POINTS_COUPON_CONFLICT', message_key: 'checkout.error.POINTS_COUPON_CONFLICT' },
  });
  expect(await written()).toEqual(before);

  // 5 (completed). pay the coupon order through the fake YooKassa
  await checkout.pay().click();
  const token = await approveOnFakeYooKassa();
  await expect(page.getByTestId('order-status')).toHaveText(ru('shop.orderStatus.CONFIRMED'), {
    timeout: 15_000,
  });
  const order = await orderByToken(token);
  expect(order).toMatchObject({
    member_id: member.id,
    status: 'CONFIRMED',
    payment_status: 'SUCCEEDED',
    coupon_instance_id: coupon.instanceId,
    coupon_discount: toDecimal(discount),
    points_used: 0,
    final_amount: toDecimal(discounted),
  });
  expect(
    await sql('select status, used_order_id from coupon_instance where id = $1', [
      coupon.instanceId,
    ]),
  ).toEqual([{ status: 'USED', used_order_id: order.id }]);
});

test('F3: points — the insufficient hint, then a full deduction to zero without the gateway', async () => {
  const member = (await memberByPhone(E2E_PHONE))!;
  await setPointsBalance(member.id, 20_000);
  const dear = await productBySku(DEAREST.sku);
  const cheap = await productBySku(CHEAPEST.sku);

  // 1. 450,00 ₽ needs 45 000 points: the hint says exactly that, and payment is blocked
  await addToCart(dear, DEAREST.kopecks);
  await openCheckout();
  await expect(checkout.total()).toHaveText(formatRub(DEAREST.kopecks));
  const points = checkout.pointsSwitch();
  await points.click();
  await expect(points).toHaveAttribute('aria-checked', 'true');
  const insufficient = page.getByTestId('insufficient-points');
  await expect(insufficient).toHaveText(
    ru('checkout.points.insufficient', {
      required: formatPoints(45_000, 'ru'),
      available: formatPoints(20_000, 'ru'),
    }),
  );
  await expect(insufficient).toHaveAttribute('data-required-points', '45000');
  await expect(insufficient).toHaveAttribute('data-available-points', '20000');
  await expect(checkout.pay()).toBeDisabled();

  // 2. empty the cart, take the 150,00 ₽ drink: a points line of −150,00 ₽ and 0,00 ₽ to pay
  await page.getByRole('link', { name: ru('checkout.backToCart') }).click();
  await expect(page).toHaveURL(new RegExp(`/cart/${E2E_STORE}$`));
  await page.getByRole('button', { name: ru('cart.clear') }).click();
  await expect(page.getByText(ru('cart.empty.title'))).toBeVisible();
  await addToCart(cheap, CHEAPEST.kopecks);
  await openCheckout();
  await expect(page.getByTestId('checkout-summary')).not.toContainText(dear.name);
  await points.click();
  await expect(points).toHaveAttribute('aria-checked', 'true');
  await expect(checkout.pointsLine().locator('dt')).toHaveText(
    ru('checkout.summary.pointsDiscount', { points: formatPoints(15_000, 'ru') }),
  );
  await expect(checkout.pointsLine().locator('dd')).toHaveText(
    ru('checkout.summary.minus', { amount: formatRub(CHEAPEST.kopecks) }),
  );
  await expect(checkout.total()).toHaveText(formatRub(0));
  await expect(page.getByTestId('insufficient-points')).toHaveCount(0);

  // 3. confirm: straight to the order page, never through the payment provider
  const provider = new URL(runtime().fakes.YOOKASSA_API_BASE_URL!).origin;
  const providerRequests: string[] = [];
  const seen = (request: { url(): string }) => {
    if (request.url().startsWith(provider)) providerRequests.push(request.url());
  };
  page.on('request', seen);
  await expect(checkout.pay()).toHaveText(ru('checkout.placeOrder'));
  await checkout.pay().click();
  await expect(page).toHaveURL(orderUrl);
  const token = orderUrl.exec(page.url())![1]!;
  await expect(page.getByTestId('order-number')).toHaveText(/^P\d{12}$/);
  await expect(page.getByTestId('order-status')).toHaveText(ru('shop.orderStatus.CONFIRMED'), {
    timeout: 15_000,
  });
  page.off('request', seen);
  expect(providerRequests).toEqual([]);

  const order = await orderByToken(token);
  expect(order).toMatchObject({
    member_id: member.id,
    status: 'CONFIRMED',
    payment_method: 'POINTS',
    payment_status: 'NOT_REQUIRED',
    points_used: 15_000,
    points_discount: toDecimal(CHEAPEST.kopecks),
    final_amount: '0.00',
    coupon_instance_id: null,
    // confirmed once the fake iiko accepted the push (F3.3)
    iiko_sync_status: 'SYNCED',
  });
  expect(await sql('select id from payment_transaction where order_id = $1', [order.id])).toEqual(
    [],
  );
  expect(
    await sql(
      `select reason, delta, balance_after, order_id
         from member_points_history where idempotency_key = $1`,
      [`order_redeem:${order.id}`],
    ),
  ).toEqual([{ reason: 'ORDER_REDEEM', delta: -15_000, balance_after: 5_000, order_id: order.id }]);
  expect((await memberByPhone(E2E_PHONE))!.balance).toBe(5_000);
});
