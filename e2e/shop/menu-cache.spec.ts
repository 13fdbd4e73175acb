import { expect, test } from '@playwright/test';
import { E2E_STORE, waitForHydration } from '../support/shop';

/**
 * ADR 0022: an anonymous visitor's menu comes from the shared page cache as stored bytes with a
 * hash-based Content-Security-Policy. The page must still run: no CSP violation, hydration, and
 * client-side navigation to a product.
 */
test('an anonymous visitor gets the stored menu, and it hydrates under its hashed CSP', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    // zod probes once whether it may compile validators with `new Function` ('eval', refused
    // by every page's policy and caught); what matters here is inline scripts
    if (/Content Security Policy violation: script-src(-elem)? inline/.test(message.text()))
      violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });

  // the first visit may render and store it, later ones are served from the cache; behind the
  // scale-out proxy every instance keeps its own copy, so a few visits may render again
  let response = await page.goto(`/menu/${E2E_STORE}`);
  for (let visit = 2; visit <= 6 && response?.headers()['x-page-cache'] === 'MISS'; visit++) {
    response = await page.goto(`/menu/${E2E_STORE}`);
  }
  expect(response?.headers()['x-page-cache']).toMatch(/^(HIT|STALE)$/);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(csp).not.toContain("'nonce-");

  await waitForHydration(page);
  const product = page.locator(`a[href^="/menu/${E2E_STORE}/p/"]`).first();
  const href = await product.getAttribute('href');
  await product.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations, violations.join('\n')).toEqual([]);
  await context.close();
});
