import { expect, test, type Page } from '@playwright/test';
import { ADMIN_NAV } from '../../app/components/shell/nav-items';
import { LANGUAGES, type Lang } from '../../app/i18n/languages';
import { translate, type MessageKey } from '../../app/i18n/translate';
import { DEMO_ADMIN } from '../../db/seed/demo-users';

// The admin's saved language is shared state: these tests run in order and restore ru.
test.describe.configure({ mode: 'serial' });

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The text of a key in any UI language (the page may be in any of them). */
const anyLang = (key: MessageKey) =>
  new RegExp(`^(${LANGUAGES.map((l) => escape(translate(l, key))).join('|')})$`);

/**
 * Signs the demo admin in and waits for the admin shell. After a hydrated sign-in the URL changes
 * before the new page renders; the sign-in page's language switch, clicked in between, would post
 * without the new session's CSRF token and get a 403.
 */
async function signInAsAdmin(page: Page) {
  await page.goto('/login');
  await page.getByLabel(anyLang('auth.login.email')).fill(DEMO_ADMIN.email);
  await page.getByLabel(anyLang('auth.login.password')).fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: anyLang('auth.login.submit') }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('navigation', { name: anyLang('nav.admin.label') })).toBeVisible();
}

async function switchLanguage(page: Page, label: 'RU' | '中文' | 'EN') {
  await page.getByRole('button', { name: label, exact: true }).click();
  await expect(page.getByRole('button', { name: label, exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
}

const adminNav = (page: Page, lang: Lang) =>
  page.getByRole('navigation', { name: translate(lang, 'nav.admin.label') });

const NAV_ITEMS = ADMIN_NAV.flatMap((group) => group.items);

test('admin signs in, lands on /admin and every sidebar section opens', async ({ page }) => {
  await signInAsAdmin(page);
  await switchLanguage(page, 'RU');

  const nav = adminNav(page, 'ru');
  await expect(nav).toBeVisible();
  // evaluateAll does not wait: let the navigation finish rendering after the language switch
  await expect(nav.getByRole('link')).toHaveCount(NAV_ITEMS.length);
  const hrefs = await nav
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  expect(hrefs.sort()).toEqual(NAV_ITEMS.map((item) => item.to).sort());
  for (const area of [
    'stores',
    'menu',
    'campaigns',
    'coupons',
    'influencers',
    'members',
    'orders',
    'scans',
    'iiko',
    'dashboards',
    'audit',
    'settings',
  ]) {
    expect(hrefs).toContain(`/admin/${area}`);
  }

  for (const item of NAV_ITEMS) {
    const response = await page.goto(item.to);
    expect(response?.status(), item.to).toBeLessThan(400);
    // each area opens on a page with a title (areas name their index pages as they see fit)
    await expect(page.getByRole('heading', { level: 1 }).first()).not.toBeEmpty();
  }

  // client-side navigation through the sidebar marks the current section
  await page.goto('/admin');
  await adminNav(page, 'ru')
    .getByRole('link', { name: translate('ru', 'nav.admin.coupons') })
    .click();
  await expect(page).toHaveURL(/\/admin\/coupons$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    translate('ru', 'nav.admin.coupons'),
  );
  await expect(
    adminNav(page, 'ru').getByRole('link', { name: translate('ru', 'nav.admin.coupons') }),
  ).toHaveAttribute('aria-current', 'page');
});

test('switching to 中文 translates the shell and follows the admin to a new session', async ({
  page,
}) => {
  await signInAsAdmin(page);
  await switchLanguage(page, 'RU');
  await page.goto('/admin/stores');

  await switchLanguage(page, '中文');
  await expect(page).toHaveURL(/\/admin\/stores$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  const zhNav = adminNav(page, 'zh');
  await expect(zhNav.getByRole('link', { name: '门店' })).toBeVisible();
  await expect(zhNav.getByRole('link', { name: '营销活动' })).toBeVisible();
  await expect(zhNav.getByRole('link', { name: '数据看板' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('门店');

  await page.getByRole('button', { name: translate('zh', 'shell.signOut') }).click();
  await expect(page).toHaveURL(/\/login/);

  // without the language cookie only the saved preference can bring Chinese back
  await page.context().clearCookies();
  await signInAsAdmin(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await expect(adminNav(page, 'zh').getByRole('link', { name: '优惠券' })).toBeVisible();

  await switchLanguage(page, 'RU');
  await expect(adminNav(page, 'ru').getByRole('link', { name: 'Купоны' })).toBeVisible();
});

test.describe('public landing without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('shows CTEA, a staff sign-in link and a working language switch', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveTitle(/CTEA/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      translate('ru', 'shell.landing.title'),
    );

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      translate('en', 'shell.landing.title'),
    );
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'ctea_lang')?.value).toBe('en');

    await page.getByRole('link', { name: translate('en', 'shell.landing.staffSignIn') }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
});
