import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { LANGUAGES } from '../../app/i18n/languages';
import { translate, type MessageKey, type MessageParams } from '../../app/i18n/translate';
import { DEMO_ADMIN, DEMO_MANAGER } from '../../db/seed/demo-users';

/**
 * Issue 3 acceptance: an admin creates a product with options and lists it in a store; that store's
 * manager marks it sold out; the store's public menu read model (GET /api/v1/stores/:code/menu)
 * reflects both.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// keys are typed loosely: the menu pages' namespace belongs to another feature
const text = (lang: (typeof LANGUAGES)[number], key: string, params?: MessageParams) =>
  translate(lang, key as MessageKey, params);
/** The text of a key in any UI language (the signed-in user's saved language is not ours). */
const anyLang = (key: string, params?: (lang: (typeof LANGUAGES)[number]) => MessageParams) =>
  new RegExp(`^(${LANGUAGES.map((l) => escape(text(l, key, params?.(l)))).join('|')})$`);

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel(anyLang('auth.login.email')).fill(user.email);
  await page.getByLabel(anyLang('auth.login.password')).fill(user.password);
  await page.getByRole('button', { name: anyLang('auth.login.submit') }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

type MenuProduct = {
  id: number;
  sku: string;
  name: string;
  priceKopecks: number;
  stockStatus: string;
  sellable: boolean;
  optionGroups: {
    code: string;
    required: boolean;
    multi: boolean;
    defaultItemId: number | null;
    items: { id: number; code: string; priceDeltaKopecks: number; available: boolean }[];
  }[];
};

async function menuProduct(
  request: APIRequestContext,
  storeCode: string,
  sku: string,
): Promise<MenuProduct | undefined> {
  const response = await request.get(`/api/v1/stores/${storeCode}/menu?lang=ru`);
  expect(response.status()).toBe(200);
  const menu = (await response.json()) as { categories: { products: MenuProduct[] }[] };
  return menu.categories.flatMap((c) => c.products).find((p) => p.sku === sku);
}

/** Picks the <option> whose text matches (labels carry localized names and type suffixes). */
async function selectByText(page: Page, select: ReturnType<Page['getByLabel']>, pattern: RegExp) {
  const option = select.locator('option').filter({ hasText: pattern }).first();
  const value = await option.getAttribute('value');
  expect(value, `option ${pattern}`).toBeTruthy();
  await select.selectOption(value!);
}

test('admin lists a product with options in a store, the manager sells it out, the menu follows', async ({
  page,
  browser,
  request,
}) => {
  const sku = `E2E-${Date.now().toString(36).toUpperCase()}`;
  const name = `Тестовый чай ${sku}`;
  const storeCode = DEMO_MANAGER.storeCode;

  // --- admin: create the product ------------------------------------------------------------
  await signIn(page, DEMO_ADMIN);
  await page.goto('/admin/menu/products/new');
  await page.getByLabel(anyLang('menu.field.sku')).fill(sku);
  await page.getByLabel(anyLang('menu.field.basePrice')).fill('320,50');
  // the three name fields are labelled "<name> (<language>)"; ru is the required one
  const nameRu = LANGUAGES.map((l) => `${text(l, 'menu.field.name')} (${text(l, 'menu.lang.ru')})`);
  await page.getByLabel(new RegExp(`^(${nameRu.map(escape).join('|')})$`)).fill(name);
  await page.getByRole('button', { name: anyLang('common.save') }).click();
  await expect(page).toHaveURL(/\/admin\/menu\/products\/\d+$/);

  // --- admin: attach SUGAR (default 50 %) and TOPPING -----------------------------------------
  const attachGroup = async (group: RegExp, defaultItem?: RegExp) => {
    const groupSelect = page.getByLabel(anyLang('menu.options.group'));
    await selectByText(page, groupSelect, group);
    // the last default-item select belongs to the "attach a group" form; set it explicitly
    // (TOPPING takes none), the form may still hold the previous attach's choice
    const defaultSelect = page.getByLabel(anyLang('menu.options.defaultItem')).last();
    if (defaultItem) await selectByText(page, defaultSelect, defaultItem);
    else await defaultSelect.selectOption('');
    await page.getByRole('button', { name: anyLang('menu.options.attach') }).click();
    await page.waitForLoadState('networkidle');
  };
  await attachGroup(/Сахар|Sugar|甜度/, /^(50 %|半糖)$/);
  await expect(page.getByRole('heading', { name: /Сахар|Sugar|甜度/ })).toBeVisible();
  await attachGroup(/Добавки|Toppings|加料/);
  await expect(page.getByRole('heading', { name: /Добавки|Toppings|加料/ })).toBeVisible();

  // not listed anywhere yet: not in the store's menu
  expect(await menuProduct(request, storeCode, sku)).toBeUndefined();

  // --- admin: list it in the manager's store --------------------------------------------------
  await page.goto(`/admin/menu/stores?q=${encodeURIComponent(sku)}`);
  const cellLabel = `${sku} · ${storeCode}`;
  const listed = page.getByLabel(anyLang('menu.grid.listed', () => ({ cell: cellLabel })));
  await listed.check();
  const cell = page.locator('form').filter({ has: listed });
  await cell.getByRole('button', { name: anyLang('common.save') }).click();
  await expect(cell.getByText(anyLang('menu.grid.listedShort'))).toBeVisible();

  await expect
    .poll(async () => (await menuProduct(request, storeCode, sku))?.sellable, { timeout: 10_000 })
    .toBe(true);
  const listedProduct = (await menuProduct(request, storeCode, sku))!;
  expect(listedProduct).toMatchObject({
    name,
    priceKopecks: 32050,
    stockStatus: 'IN_STOCK',
    sellable: true,
  });
  expect(listedProduct.optionGroups.map((g) => [g.code, g.required, g.multi])).toEqual([
    ['SUGAR', true, false],
    ['TOPPING', false, true],
  ]);
  const sugar = listedProduct.optionGroups[0]!;
  expect(sugar.items.find((i) => i.id === sugar.defaultItemId)?.code).toBe('SUGAR_50');
  expect(listedProduct.optionGroups[1]!.items.find((i) => i.code === 'TAPIOCA')).toMatchObject({
    priceDeltaKopecks: 4000,
    available: true,
  });

  // --- manager: mark it sold out in their store ----------------------------------------------
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, DEMO_MANAGER);
  await expect(manager).toHaveURL(/\/manage\/\d+$/);
  const storeId = new URL(manager.url()).pathname.split('/')[2];
  await manager.goto(`/manage/${storeId}/menu?q=${encodeURIComponent(sku)}`);
  await manager
    .getByRole('button', {
      name: anyLang('availability.setLabel', (l) => ({
        product: name,
        status: text(l, 'availability.set.OUT_OF_STOCK'),
      })),
    })
    .click();
  const row = manager.getByRole('row').filter({ hasText: sku });
  await expect(row.getByText(anyLang('availability.status.OUT_OF_STOCK'))).toBeVisible();
  await expect(
    row.getByRole('button', {
      name: anyLang('availability.setLabel', (l) => ({
        product: name,
        status: text(l, 'availability.set.OUT_OF_STOCK'),
      })),
    }),
  ).toBeDisabled();

  // --- the read model: still listed with its price and options, now not sellable --------------
  const soldOut = (await menuProduct(request, storeCode, sku))!;
  expect(soldOut).toMatchObject({
    priceKopecks: 32050,
    stockStatus: 'OUT_OF_STOCK',
    sellable: false,
  });
  expect(soldOut.optionGroups).toHaveLength(2);

  // another store of the chain is untouched: the product was never listed there
  expect(await menuProduct(request, 'MSK-02', sku)).toBeUndefined();

  // the change is in the audit log, attributed to the manager and the store
  await page.goto(`/admin/audit?action=store_product.stock_status`);
  await expect(
    page.getByRole('row').filter({ hasText: DEMO_MANAGER.displayName }).first(),
  ).toBeVisible();

  await managerContext.close();
});
