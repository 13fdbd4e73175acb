import { z } from 'zod';
import type { Db } from '~db/database.server';
import { getStoreMenu } from '~/features/menu/store-menu.server';
import type { Lang } from '~/i18n/languages';
import {
  addLine,
  clearStore,
  MAX_LINE_OPTIONS,
  MAX_LINE_QUANTITY,
  removeLine,
  setLineQuantity,
  type Cart,
} from './cart';
import { commitCart, readCart } from './cart-cookie.server';
import { flashToastHeader } from './flash.server';
import { checkSelection } from './product-options';

/**
 * The cart's write side, shared by the product sheet (add) and the cart page (quantity, remove,
 * clear). Every input is parsed with zod and checked against the store's public menu; a refusal is
 * a 4xx body `{error: {code, message_key, details}}`, never an exception.
 */

export interface CartError {
  code: string;
  message_key: string;
  details: Record<string, unknown>;
}

export type CartOutcome =
  { ok: true; headers: Headers } | { ok: false; status: number; error: CartError };

const refuse = (
  status: number,
  code: string,
  messageKey: string,
  details: Record<string, unknown> = {},
): CartOutcome => ({ ok: false, status, error: { code, message_key: messageKey, details } });

const id = z.coerce.number().int().positive().max(2_147_483_647);

const addSchema = z.object({
  quantity: z.coerce.number().int().min(1).max(MAX_LINE_QUANTITY),
  option_item_ids: z.array(id).max(MAX_LINE_OPTIONS),
});

/** Option choices arrive as `option.<groupId>` fields (one per radio group, repeated for toppings). */
function optionValues(form: FormData): FormDataEntryValue[] {
  const values: FormDataEntryValue[] = [];
  for (const [name, value] of form.entries()) {
    if (name.startsWith('option.') || name === 'option_item_ids') values.push(value);
  }
  return values;
}

async function saved(cart: Cart, storeId: number, toast?: Promise<string>): Promise<CartOutcome> {
  const committed = await commitCart(cart, storeId);
  if (!committed) return refuse(400, 'CART_FULL', 'cart.error.full');
  const headers = new Headers();
  headers.append('Set-Cookie', committed.header);
  if (toast) headers.append('Set-Cookie', await toast);
  return { ok: true, headers };
}

/** Adds a product with its options to the store's cart (PR-1, PR-4, PR-5). */
export async function addToCart(
  db: Db,
  args: { request: Request; form: FormData; storeId: number; productId: number; lang: Lang },
): Promise<CartOutcome> {
  const parsed = addSchema.safeParse({
    quantity: args.form.get('quantity') ?? undefined,
    option_item_ids: optionValues(args.form),
  });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'form');
    return refuse(
      400,
      field === 'quantity' ? 'QUANTITY_INVALID' : 'VALIDATION_FAILED',
      field === 'quantity' ? 'checkout.error.QUANTITY_INVALID' : 'cart.error.invalid',
      { field },
    );
  }

  const menu = await getStoreMenu(db, { storeId: args.storeId, lang: args.lang });
  const product = menu?.categories.flatMap((c) => c.products).find((p) => p.id === args.productId);
  if (!product) return refuse(404, 'NOT_FOUND', 'cart.error.productNotFound');
  if (!product.sellable) {
    return refuse(409, 'PRODUCT_UNAVAILABLE', 'checkout.error.PRODUCT_UNAVAILABLE', {
      product_id: product.id,
    });
  }
  const selection = checkSelection(product, parsed.data.option_item_ids);
  const first = selection.problems[0];
  if (first) {
    const group =
      first.code === 'OPTION_REQUIRED'
        ? product.optionGroups.find((g) => g.code === first.details.group_code)
        : undefined;
    return first.code === 'OPTION_REQUIRED'
      ? refuse(400, first.code, 'cart.error.optionRequired', {
          ...first.details,
          group: group?.name ?? first.details.group_code,
        })
      : refuse(400, first.code, 'checkout.error.OPTION_INVALID', first.details);
  }

  const cart = await readCart(args.request);
  const added = addLine(cart, args.storeId, {
    product_id: product.id,
    quantity: parsed.data.quantity,
    option_item_ids: selection.optionItemIds,
  });
  if (!added.ok) {
    return added.reason === 'TOO_MANY_LINES'
      ? refuse(400, 'CART_FULL', 'cart.error.tooManyLines')
      : refuse(400, 'QUANTITY_INVALID', 'checkout.error.QUANTITY_INVALID');
  }
  const toast = added.capped
    ? flashToastHeader('cart.toast.addedCapped', { name: product.name, max: MAX_LINE_QUANTITY })
    : flashToastHeader('cart.toast.added', { name: product.name });
  return saved(added.cart, args.storeId, toast);
}

const lineSchema = z.object({
  // lineKey(): "<productId>:<sorted option ids joined by .>"
  key: z.string().regex(/^[1-9][0-9]{0,9}:(?:[1-9][0-9]{0,9}(?:\.[1-9][0-9]{0,9})*)?$/),
});
const quantitySchema = lineSchema.extend({
  quantity: z.coerce.number().int().min(0).max(MAX_LINE_QUANTITY),
});

export const CART_INTENTS = ['quantity', 'remove', 'clear'] as const;
export type CartIntent = (typeof CART_INTENTS)[number];

/** Quantity, remove and clear on the cart page. Unknown lines leave the cart unchanged. */
export async function changeCart(args: {
  request: Request;
  form: FormData;
  storeId: number;
  intent: CartIntent;
}): Promise<CartOutcome> {
  const cart = await readCart(args.request);
  const { form, storeId } = args;
  switch (args.intent) {
    case 'quantity': {
      const parsed = quantitySchema.safeParse({
        key: form.get('key'),
        quantity: form.get('quantity'),
      });
      if (!parsed.success)
        return refuse(400, 'QUANTITY_INVALID', 'checkout.error.QUANTITY_INVALID');
      return saved(setLineQuantity(cart, storeId, parsed.data.key, parsed.data.quantity), storeId);
    }
    case 'remove': {
      const parsed = lineSchema.safeParse({ key: form.get('key') });
      if (!parsed.success) return refuse(400, 'VALIDATION_FAILED', 'cart.error.invalid');
      return saved(removeLine(cart, storeId, parsed.data.key), storeId);
    }
    case 'clear':
      return saved(clearStore(cart, storeId), storeId, flashToastHeader('cart.toast.cleared'));
  }
}
