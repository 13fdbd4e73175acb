import type { YooKassaReceipt } from '~/integrations/yookassa/yookassa-types.server';
import { toDecimal } from '~/utils/money';

/**
 * The 54-FZ receipt sent with a payment when `payments.receipt_enabled` is on (PY-4). Items carry
 * what the customer actually pays: each line's total minus its coupon share (CP-5), plus the
 * delivery fee as a service, so the items always add up to the payment amount. A line whose paid
 * total does not divide evenly by its quantity becomes two items (n − 1 units at the floor price
 * and one unit carrying the remainder), keeping every amount in whole kopecks. Field names follow
 * the provider reference; they are re-checked against it before go-live.
 */

export interface ReceiptLine {
  name: string;
  quantity: number;
  lineTotalKopecks: number;
  discountKopecks: number;
}

export interface ReceiptInput {
  phone: string;
  vatCode: number;
  lines: readonly ReceiptLine[];
  deliveryFeeKopecks: number;
  deliveryLabel: string;
}

type Item = YooKassaReceipt['items'][number];

function item(
  description: string,
  quantity: number,
  unitKopecks: number,
  vatCode: number,
  subject: Item['payment_subject'],
): Item {
  return {
    description: description.slice(0, 128),
    quantity: String(quantity),
    amount: { value: toDecimal(unitKopecks), currency: 'RUB' },
    vat_code: vatCode,
    payment_mode: 'full_prepayment',
    payment_subject: subject,
  };
}

export function buildReceipt(input: ReceiptInput): YooKassaReceipt {
  const items: Item[] = [];
  for (const line of input.lines) {
    const paid = line.lineTotalKopecks - line.discountKopecks;
    if (paid <= 0 || line.quantity <= 0) continue;
    const unit = Math.floor(paid / line.quantity);
    const remainder = paid - unit * line.quantity;
    if (remainder === 0) {
      items.push(item(line.name, line.quantity, unit, input.vatCode, 'commodity'));
    } else {
      if (line.quantity > 1 && unit > 0)
        items.push(item(line.name, line.quantity - 1, unit, input.vatCode, 'commodity'));
      items.push(item(line.name, 1, unit + remainder, input.vatCode, 'commodity'));
    }
  }
  if (input.deliveryFeeKopecks > 0)
    items.push(item(input.deliveryLabel, 1, input.deliveryFeeKopecks, input.vatCode, 'service'));
  return { customer: { phone: input.phone }, items };
}

/** Σ amount × quantity of a receipt, in kopecks (quantities are whole numbers here). */
export function receiptTotal(receipt: YooKassaReceipt): number {
  let total = 0;
  for (const i of receipt.items) {
    const [rubles = '0', kopecks = '00'] = i.amount.value.split('.');
    total += (Number(rubles) * 100 + Number(kopecks)) * Number(i.quantity);
  }
  return total;
}
