import { parseWithZod } from '@conform-to/zod/v4';
import { describe, expect, it } from 'vitest';
import { optionGroupRule, PRODUCT_LIST, productSchema, storeProductSchema } from './menu.schema';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

describe('menu schemas', () => {
  it('reads rubles as exact kopecks, with a comma or a dot', () => {
    for (const [input, kopecks] of [
      ['350', 35000],
      ['350,5', 35050],
      [' 0.01 ', 1],
      ['1 200,00', 120000],
    ] as const) {
      const s = parseWithZod(form({ sku: 'A', name_ru: 'x', base_price: input }), {
        schema: productSchema,
      });
      expect(s.status, input).toBe('success');
      if (s.status === 'success') expect(s.value.base_price).toBe(kopecks);
    }
  });

  it('names the problem with a price', () => {
    for (const [input, key] of [
      ['-1', 'menu.error.priceNegative'],
      ['1.001', 'menu.error.priceInvalid'],
      ['1e3', 'menu.error.priceInvalid'],
      ['12345678901', 'menu.error.priceInvalid'],
    ] as const) {
      const s = parseWithZod(form({ sku: 'A', name_ru: 'x', base_price: input }), {
        schema: productSchema,
      });
      expect(s.status, input).toBe('error');
      if (s.status !== 'success') expect(s.error?.base_price, input).toEqual([key]);
    }
    const missing = parseWithZod(form({ sku: 'A', name_ru: 'x' }), { schema: productSchema });
    if (missing.status !== 'success')
      expect(missing.error?.base_price).toEqual(['menu.error.priceRequired']);
  });

  it('accepts only http(s) image URLs or names this app stored', () => {
    const ok = (url: string) =>
      parseWithZod(form({ sku: 'A', name_ru: 'x', base_price: '1', image_url: url }), {
        schema: productSchema,
      }).status === 'success';
    expect(ok('https://cdn.example.com/a.png')).toBe(true);
    expect(ok('/uploads/0123456789abcdef0123456789abcdef.webp')).toBe(true);
    expect(ok('javascript:alert(1)')).toBe(false);
    expect(ok('/uploads/../secret.png')).toBe(false);
  });

  it('an empty store price means "base price" (null), not zero', () => {
    const s = parseWithZod(
      form({ store_id: '1', product_id: '2', price_override: '', stock_status: 'IN_STOCK' }),
      { schema: storeProductSchema },
    );
    expect(s.status).toBe('success');
    if (s.status === 'success') expect(s.value.price_override).toBeUndefined();
  });

  it('derives required/selection from the group type (option_group_business_rule)', () => {
    expect(optionGroupRule('TEMPERATURE')).toEqual({ is_required: true, selection_type: 'SINGLE' });
    expect(optionGroupRule('ICE')).toEqual({ is_required: true, selection_type: 'SINGLE' });
    expect(optionGroupRule('SUGAR')).toEqual({ is_required: true, selection_type: 'SINGLE' });
    expect(optionGroupRule('TOPPING')).toEqual({ is_required: false, selection_type: 'MULTI' });
  });

  it('falls back to defaults for bad list params', () => {
    const p = PRODUCT_LIST.parse('?sort=evil&dir=up&page=0&category=-1&active=maybe&override=x');
    expect(p).toMatchObject({ sort: 'sort_order', dir: 'asc', page: 1, filters: {} });
  });
});
