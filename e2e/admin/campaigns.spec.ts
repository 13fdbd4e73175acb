import { expect, test, type Page } from '@playwright/test';
import { LANGUAGES } from '../../app/i18n/languages';
import { translate, type MessageKey } from '../../app/i18n/translate';
import { DEMO_ADMIN } from '../../db/seed/demo-users';

/**
 * Issue 4 (campaigns and influencers): an admin creates a campaign, launches it, adds an
 * influencer, generates the influencer's code twice (same code) and opens its printable card.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The text of a key in any UI language (the admin's saved language is not fixed). */
const anyLang = (key: MessageKey) =>
  new RegExp(`^(${LANGUAGES.map((l) => escape(translate(l, key))).join('|')})$`);

async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel(anyLang('auth.login.email')).fill(DEMO_ADMIN.email);
  await page.getByLabel(anyLang('auth.login.password')).fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: anyLang('auth.login.submit') }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

test('admin runs a campaign with an influencer code and prints its card', async ({ page }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  await signIn(page);

  await page.goto('/admin/campaigns/new');
  await page.getByLabel(anyLang('campaigns.field.code')).fill(`E2E-${suffix}`);
  await page.getByLabel(anyLang('campaigns.field.nameRu')).fill(`Кампания ${suffix}`);
  await page.getByLabel(anyLang('campaigns.field.codeLetter')).selectOption('E');
  await page.getByLabel(anyLang('campaigns.field.budget')).fill('10000');
  await page.getByRole('button', { name: anyLang('campaigns.new.submit') }).click();
  await expect(page).toHaveURL(/\/admin\/campaigns\/\d+\?saved=1/);
  await page.getByRole('button', { name: anyLang('campaigns.action.ACTIVE') }).click();
  await expect(page).toHaveURL(/transitioned=1/);
  await expect(page.getByText(anyLang('campaigns.status.ACTIVE')).first()).toBeVisible();

  await page.goto('/admin/influencers/new');
  await page.getByLabel(anyLang('influencers.field.name')).fill(`Блогер ${suffix}`);
  await page.getByLabel(anyLang('influencers.field.rate')).fill('12,5');
  await page.getByRole('button', { name: anyLang('influencers.new.submit') }).click();
  await expect(page).toHaveURL(/\/admin\/influencers\/\d+\?saved=1/);

  const campaignSelect = page.getByLabel(anyLang('influencers.generate.campaign'));
  const option = campaignSelect.locator('option', { hasText: `E2E-${suffix}` });
  await campaignSelect.selectOption((await option.getAttribute('value'))!);
  await page.getByRole('button', { name: anyLang('influencers.generate.submit') }).click();
  await expect(page).toHaveURL(/notice=created/);
  const code = (await page.locator('tbody td span.font-mono').first().textContent())!.trim();
  expect(code).toMatch(/^E[1-9][0-9]{3}$/);

  await campaignSelect.selectOption((await option.getAttribute('value'))!);
  await page.getByRole('button', { name: anyLang('influencers.generate.submit') }).click();
  await expect(page).toHaveURL(/notice=existing/);
  await expect(page.getByRole('status')).toContainText(code);

  await page.getByRole('link', { name: anyLang('influencers.code.card') }).click();
  await expect(page.getByTestId('code-card-code')).toHaveText(code);
  await expect(page.locator('#code-card svg')).toBeVisible();
});
