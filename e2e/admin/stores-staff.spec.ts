import { expect, test, type Page } from '@playwright/test';
import { translate, type MessageKey } from '../../app/i18n/translate';
import { DEMO_ADMIN } from '../../db/seed/demo-users';

const ru = (key: MessageKey, params?: Record<string, string | number>) =>
  translate('ru', key, params);

async function signInRu(page: Page) {
  await page.context().addCookies([{ name: 'ctea_lang', value: 'ru', url: 'http://localhost' }]);
  await page.goto('/login');
  await page.getByLabel(ru('auth.login.email')).fill(DEMO_ADMIN.email);
  await page.getByLabel(ru('auth.login.password')).fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: ru('auth.login.submit') }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

test('admin creates a store, adds a delivery zone and a manager for it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // 400/409 answers to refused forms are expected; anything else (hydration, exceptions) is not
    if (msg.type() === 'error' && !/status of 40[09]/.test(msg.text())) errors.push(msg.text());
  });
  const suffix = String(Date.now()).slice(-6);
  const code = `E2E-${suffix}`;

  await signInRu(page);
  await page.goto('/admin/stores');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('nav.admin.stores'));
  await page.getByRole('link', { name: ru('stores.list.new') }).click();
  await expect(page).toHaveURL(/\/admin\/stores\/new$/);
  // a client-side navigation changes the URL before it renders the new page, and the list's
  // search field ("Код, название или город") would match a loose "Код" label until then
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(ru('stores.new.title'));
  const codeField = page.getByLabel(ru('stores.field.code'), { exact: true });

  // a duplicate of a seeded code is refused next to the field
  await codeField.fill('MSK-01');
  await page.getByLabel(ru('stores.field.nameRu')).fill(`Тестовый ${suffix}`);
  await page.getByLabel(ru('stores.field.address')).fill('Москва, ул. Тестовая, 5');
  await page.getByLabel(ru('stores.field.city')).fill('Москва');
  await page.getByLabel(ru('stores.field.latitude')).fill('55.75');
  await page.getByLabel(ru('stores.field.longitude')).fill('37.6');
  await page.getByRole('button', { name: ru('stores.new.submit') }).click();
  await expect(page.getByText(ru('stores.error.codeTaken'))).toBeVisible();

  await codeField.fill(code);
  await page.getByLabel(ru('stores.field.delivery')).check();
  await page.getByRole('button', { name: ru('stores.new.submit') }).click();
  await expect(page).toHaveURL(/\/admin\/stores\/\d+\?saved=1$/);
  await expect(page.getByText(ru('stores.saved'))).toBeVisible();
  const storeUrl = page.url().replace(/\?.*$/, '');

  // the list finds it by search (URL state)
  await page.goto(`/admin/stores?q=${code.toLowerCase()}`);
  await expect(page.getByRole('link', { name: code })).toBeVisible();

  // zones: a self-intersecting boundary is refused, a square is saved and drawn
  await page.goto(`${storeUrl}/zones`);
  const newZone = page.locator('#zone-new');
  await newZone.getByLabel(ru('stores.field.nameRu')).fill('Центр');
  await newZone
    .getByLabel(ru('delivery.field.polygon'))
    .fill('55.7, 37.5\n55.8, 37.7\n55.7, 37.7\n55.8, 37.5');
  await newZone.getByLabel(ru('delivery.field.fee')).fill('150');
  await newZone.getByRole('button', { name: ru('delivery.create') }).click();
  await expect(newZone.getByText(ru('delivery.polygon.error.selfIntersecting'))).toBeVisible();
  await newZone
    .getByLabel(ru('delivery.field.polygon'))
    .fill('55.7, 37.5\n55.7, 37.7\n55.8, 37.7\n55.8, 37.5');
  await newZone.getByRole('button', { name: ru('delivery.create') }).click();
  await expect(page.getByText(ru('delivery.saved'))).toBeVisible();
  await expect(
    page.getByRole('img', { name: ru('delivery.preview.title') }).locator('polygon'),
  ).toHaveCount(1);

  // staff: a manager for the new store
  await page.goto('/admin/staff');
  const email = `e2e.${suffix}@ctea.local`;
  const create = page.locator('#staff-create');
  await create.getByLabel(ru('staff.field.email')).fill(email);
  await create.getByLabel(ru('staff.field.displayName')).fill('E2E Manager');
  await create.getByLabel(ru('staff.field.password')).fill('e2e-manager-password');
  await page
    .getByLabel(ru('staff.field.stores'))
    .selectOption({ label: `${code} · Тестовый ${suffix}` });
  await create.getByRole('button', { name: ru('staff.create.submit') }).click();
  await expect(page.getByText(ru('staff.done.created'))).toBeVisible();
  await expect(page.getByText(code)).toBeVisible();
  await page.getByRole('button', { name: ru('staff.action.deactivate') }).click();
  await expect(page.getByText(ru('staff.done.deactivate'))).toBeVisible();

  expect(errors).toEqual([]);
});
