import type { Db } from '~db/database.server';
import { quoteBodySchema } from '~/features/checkout/checkout.schema';
import type { QuoteProblem } from '~/features/checkout/checkout.types';
import { quoteCheckout } from '~/features/checkout/pricing.server';
import { getStoreMenu } from '~/features/menu/store-menu.server';
import type { Lang } from '~/i18n/languages';
import { lineKey, type CartLine } from './cart';

/**
 * The cart page's lines, priced by the checkout quote (PR-10: the same numbers checkout will use)
 * and named from the menu where the quote could not price a line (sold out, an option gone), so
 * the customer sees what to remove.
 */

export interface CartViewProblem {
  code: string;
  message_key: string;
  details: Record<string, unknown>;
}

export interface CartViewLine {
  key: string;
  productId: number;
  name: string;
  options: string[];
  quantity: number;
  unitKopecks: number | null;
  lineTotalKopecks: number | null;
  problem: CartViewProblem | null;
}

export interface CartView {
  lines: CartViewLine[];
  subtotalKopecks: number;
  /** Problems of the cart as a whole that the cart page shows (the store is closed now). */
  problems: CartViewProblem[];
  /** Every line can be priced: checkout may be tried. */
  ready: boolean;
}

const CART_LEVEL = new Set(['STORE_CLOSED', 'CART_EMPTY']);

const view = (p: QuoteProblem): CartViewProblem => ({
  code: p.code,
  message_key: `checkout.error.${p.code}`,
  details: p.details,
});

export async function buildCartView(
  db: Db,
  args: {
    store: { id: number; pickupEnabled: boolean };
    lines: CartLine[];
    memberId: number | null;
    lang: Lang;
  },
): Promise<CartView> {
  const { store, lines, lang } = args;
  if (lines.length === 0) return { lines: [], subtotalKopecks: 0, problems: [], ready: false };

  const body = quoteBodySchema.parse({
    store_id: store.id,
    // the cart shows the goods; how they are fulfilled is chosen at checkout
    order_type: store.pickupEnabled ? 'PICKUP' : 'DELIVERY',
    lines,
    use_points: false,
  });
  const [quote, menu] = await Promise.all([
    quoteCheckout(db, { memberId: args.memberId, body, lang }),
    getStoreMenu(db, { storeId: store.id, lang }),
  ]);
  const products = new Map(
    (menu?.categories ?? []).flatMap((c) => c.products).map((p) => [p.id, p]),
  );
  const priced = new Map(quote.lines.map((l) => [l.lineNo, l]));

  const viewLines = lines.map((line, index): CartViewLine => {
    const lineNo = index + 1;
    const quoted = priced.get(lineNo);
    const lineProblem = quote.problems.find(
      (p) => p.details.line_no === lineNo && !CART_LEVEL.has(p.code),
    );
    if (quoted) {
      return {
        key: lineKey(line),
        productId: line.product_id,
        name: quoted.name,
        options: quoted.options.map((o) => o.name),
        quantity: quoted.quantity,
        unitKopecks: quoted.unitPriceKopecks + quoted.optionsPriceKopecks,
        lineTotalKopecks: quoted.lineTotalKopecks,
        problem: lineProblem ? view(lineProblem) : null,
      };
    }
    const product = products.get(line.product_id);
    const items = new Map(
      (product?.optionGroups ?? []).flatMap((g) => g.items).map((i) => [i.id, i.name]),
    );
    return {
      key: lineKey(line),
      productId: line.product_id,
      name: product?.name ?? '',
      options: line.option_item_ids.flatMap((id) => (items.has(id) ? [items.get(id)!] : [])),
      quantity: line.quantity,
      unitKopecks: null,
      lineTotalKopecks: null,
      problem: view(
        lineProblem ?? { code: 'PRODUCT_UNAVAILABLE', details: { product_id: line.product_id } },
      ),
    };
  });

  return {
    lines: viewLines,
    subtotalKopecks: quote.subtotalKopecks,
    problems: quote.problems.filter((p) => p.code === 'STORE_CLOSED').map(view),
    ready: viewLines.every((l) => l.problem === null),
  };
}
