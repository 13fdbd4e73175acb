import { expect, test, type Page } from '@playwright/test';
import { LANGUAGES } from '../../app/i18n/languages';
import { translate, type MessageKey } from '../../app/i18n/translate';
import { DEMO_ADMIN, DEMO_MEMBER_PHONE } from '../../db/seed/demo-users';

/**
 * Issue 4 (coupon templates): an admin creates a THRESHOLD_OFF template scoped to MSK-01, issues
 * it to a seeded member by phone, and the "try it" panel shows the discount for a cart from
 * MSK-01's menu.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The text of a key in any UI language (the admin's saved language is not fixed). */
const anyLang = (key: MessageKey, params?: Record<string, string | number>) =>
  new RegExp(`^(${LANGUAGES.map((l) => escape(translate(l, key, params))).join('|')})$`);

async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel(anyLang('auth.login.email')).fill(DEMO_ADMIN.email);
  await page.getByLabel(anyLang('auth.login.password')).fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: anyLang('auth.login.submit') }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

test('admin creates a threshold template, issues it and tries it on a cart', async ({ page }) => {
  const code = `E2E-THR-${Date.now().toString(36).toUpperCase()}`;
  await signIn(page);

  await page.goto('/admin/coupons/new');
  await page.getByLabel(anyLang('couponTemplates.field.code')).fill(code);
  await page.getByLabel(anyLang('couponTemplates.field.nameRu')).fill(`Скидка от суммы ${code}`);
  await page.getByLabel(anyLang('couponTemplates.field.descriptionRu')).fill('50 ₽ от 300 ₽');
  await page.getByLabel(anyLang('couponTemplates.field.type')).selectOption('THRESHOLD_OFF');
  await page.getByLabel(anyLang('couponTemplates.field.tierMin', { n: 1 })).fill('300.00');
  await page.getByLabel(anyLang('couponTemplates.field.tierDiscount', { n: 1 })).fill('50.00');
  await page.getByRole('button', { name: anyLang('couponTemplates.tier.add') }).click();
  await page.getByLabel(anyLang('couponTemplates.field.tierMin', { n: 2 })).fill('600.00');
  await page.getByLabel(anyLang('couponTemplates.field.tierDiscount', { n: 2 })).fill('120.00');
  await page.getByRole('checkbox', { name: /MSK-01/ }).check();
  // starts now: the default start is tomorrow, and the panel evaluates at the current time
  await page.getByLabel(anyLang('couponTemplates.field.validFrom')).fill('2024-01-01T00:00');
  await page.getByRole('button', { name: anyLang('couponTemplates.new.submit') }).click();
  await expect(page).toHaveURL(/\/admin\/coupons\/\d+\?saved=1/);
  const templateUrl = new URL(page.url()).pathname;

  await page.getByRole('link', { name: anyLang('couponTemplates.issue') }).click();
  await expect(page).toHaveURL(/\/admin\/coupons\/\d+\/issue/);
  await page.getByLabel(anyLang('couponIssue.field.phone')).fill(DEMO_MEMBER_PHONE);
  await page.getByRole('button', { name: anyLang('couponIssue.submit') }).click();
  await expect(page.getByText(anyLang('couponIssue.result.issued', { count: 1 }))).toBeVisible();

  await page.goto(templateUrl);
  // CP-15: the deal is frozen now that an instance exists
  await expect(page.getByLabel(anyLang('couponTemplates.field.type'))).toBeDisabled();

  const store = page.getByLabel(anyLang('couponTemplates.try.store'));
  const msk01 = store.locator('option', { hasText: 'MSK-01' });
  await store.selectOption((await msk01.getAttribute('value'))!);
  await page.getByRole('button', { name: anyLang('couponTemplates.try.load') }).click();
  await expect(page).toHaveURL(/try_store=\d+/);

  // MSK-01's menu costs at least 150.00 a cup: 5 cups are always past the 600.00 tier
  const product = page.getByLabel(anyLang('couponTemplates.try.product', { n: 1 }));
  await product.selectOption({ index: 1 });
  await page.getByLabel(anyLang('couponTemplates.try.quantity', { n: 1 })).fill('5');
  await page.getByRole('button', { name: anyLang('couponTemplates.try.calculate') }).click();
  await expect(page).toHaveURL(/try_product=\d+&try_qty=5/);
  await expect(page.getByTestId('try-total-discount')).toContainText(/120/);
  await expect(page.getByTestId('try-line-discount-1')).toContainText(/120/);
});
