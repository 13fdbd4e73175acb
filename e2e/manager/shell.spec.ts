import { expect, test, type Page } from '@playwright/test';
import { managerNav } from '../../app/components/shell/nav-items';
import { LANGUAGES } from '../../app/i18n/languages';
import { translate, type MessageKey } from '../../app/i18n/translate';
import { DEMO_MANAGER } from '../../db/seed/demo-users';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The text of a key in any UI language (the manager's saved language is not this spec's concern). */
const anyLang = (key: MessageKey) =>
  new RegExp(`^(${LANGUAGES.map((l) => escape(translate(l, key))).join('|')})$`);

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel(anyLang('auth.login.email')).fill(user.email);
  await page.getByLabel(anyLang('auth.login.password')).fill(user.password);
  await page.getByRole('button', { name: anyLang('auth.login.submit') }).click();
}

test('a store manager works in their own store only and never sees admin navigation', async ({
  page,
}) => {
  await signIn(page, DEMO_MANAGER);
  await expect(page).toHaveURL(/\/manage\/\d+$/);
  const ownId = Number(new URL(page.url()).pathname.split('/')[2]);

  const nav = page.getByRole('navigation', { name: anyLang('nav.manage.label') });
  const expected = managerNav(ownId).flatMap((group) => group.items);
  await expect(nav.getByRole('link')).toHaveCount(expected.length);
  await expect(nav.getByRole('link', { name: anyLang('nav.manage.orders') })).toHaveAttribute(
    'href',
    `/manage/${ownId}/orders`,
  );
  await expect(page.getByText(DEMO_MANAGER.storeCode).first()).toBeVisible();
  await expect(page.locator('a[href^="/admin"]')).toHaveCount(0);

  for (const area of ['orders', 'scans', 'menu']) {
    const response = await page.goto(`/manage/${ownId}/${area}`);
    expect(response?.status(), area).toBeLessThan(400);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('a[href^="/admin"]')).toHaveCount(0);
  }

  // the store picker lists only the manager's stores
  await page.goto('/manage');
  const storeLinks = page.getByRole('main').getByRole('link');
  await expect(storeLinks).toHaveCount(1);
  await expect(storeLinks).toHaveAttribute('href', `/manage/${ownId}`);

  const admin = await page.goto('/admin');
  expect(admin?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(anyLang('error.forbidden'));
  await expect(page.locator('a[href^="/admin"]')).toHaveCount(0);

  let refused = 0;
  for (let id = 1; id <= 5; id++) {
    if (id === ownId) continue;
    const response = await page.goto(`/manage/${id}`);
    const status = response?.status() ?? 0;
    if (status === 403 || status === 404) {
      refused += 1;
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(
        status === 403 ? anyLang('error.forbidden') : anyLang('error.notFound'),
      );
      await expect(page.getByRole('navigation', { name: anyLang('nav.manage.label') })).toHaveCount(
        0,
      );
    }
  }
  expect(refused).toBeGreaterThan(0);
});
