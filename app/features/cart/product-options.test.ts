import { describe, expect, it } from 'vitest';
import type { StoreMenuOptionGroup } from '~/features/menu/store-menu.types';
import type { Kopecks } from '~/utils/money';
import { checkSelection, defaultSelection } from './product-options';

const k = (n: number) => n as Kopecks;

const sugar: StoreMenuOptionGroup = {
  id: 1,
  code: 'SUGAR',
  type: 'SUGAR',
  name: 'Сахар',
  required: true,
  multi: false,
  defaultItemId: 11,
  items: [
    { id: 11, code: 'NORMAL', name: 'Обычный', priceDeltaKopecks: k(0), available: true },
    { id: 12, code: 'HALF', name: 'Половина', priceDeltaKopecks: k(0), available: true },
  ],
};
const ice: StoreMenuOptionGroup = {
  id: 2,
  code: 'ICE',
  type: 'ICE',
  name: 'Лёд',
  required: true,
  multi: false,
  defaultItemId: 21,
  items: [
    { id: 21, code: 'REGULAR', name: 'Обычно', priceDeltaKopecks: k(0), available: false },
    { id: 22, code: 'LESS', name: 'Меньше', priceDeltaKopecks: k(0), available: true },
  ],
};
const toppings: StoreMenuOptionGroup = {
  id: 3,
  code: 'TOPPING',
  type: 'TOPPING',
  name: 'Топпинги',
  required: false,
  multi: true,
  defaultItemId: null,
  items: [
    { id: 31, code: 'TAPIOCA', name: 'Тапиока', priceDeltaKopecks: k(5000), available: true },
    { id: 32, code: 'JELLY', name: 'Желе', priceDeltaKopecks: k(4000), available: true },
    { id: 33, code: 'CHEESE', name: 'Сырная пенка', priceDeltaKopecks: k(7000), available: false },
  ],
};
const product = { priceKopecks: k(35000), optionGroups: [sugar, ice, toppings] };

describe('defaultSelection', () => {
  it('preselects available defaults of required groups only', () => {
    // ICE's default is unavailable: the customer chooses
    expect(defaultSelection(product)).toEqual([11]);
  });
});

describe('checkSelection', () => {
  it('prices base plus chosen deltas per unit', () => {
    expect(checkSelection(product, [11, 22, 31, 32])).toEqual({
      optionItemIds: [11, 22, 31, 32],
      unitKopecks: 35000 + 5000 + 4000,
      problems: [],
    });
  });

  it('asks for every required group', () => {
    expect(checkSelection(product, [11]).problems).toEqual([
      { code: 'OPTION_REQUIRED', details: { group_code: 'ICE' } },
    ]);
  });

  it('refuses unknown, unavailable and second single choices', () => {
    expect(checkSelection(product, [11, 22, 999]).problems).toEqual([
      { code: 'OPTION_INVALID', details: { item_id: 999 } },
    ]);
    expect(checkSelection(product, [11, 22, 33]).problems).toEqual([
      { code: 'OPTION_INVALID', details: { item_id: 33 } },
    ]);
    expect(checkSelection(product, [11, 12, 22]).problems).toEqual([
      { code: 'OPTION_INVALID', details: { item_id: 12 } },
    ]);
  });

  it('counts a repeated id once', () => {
    expect(checkSelection(product, [11, 11, 22, 31, 31])).toMatchObject({
      optionItemIds: [11, 22, 31],
      unitKopecks: 40000,
      problems: [],
    });
  });
});
