import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReceipt, receiptTotal } from './receipt';

const base = { phone: '+79001234567', vatCode: 1, deliveryLabel: 'Доставка' };

describe('payment receipt', () => {
  it('lists each line at its paid unit price and the delivery fee as a service', () => {
    const receipt = buildReceipt({
      ...base,
      lines: [
        { name: 'Молочный чай', quantity: 2, lineTotalKopecks: 70_000, discountKopecks: 0 },
        { name: 'Фруктовый чай', quantity: 1, lineTotalKopecks: 25_000, discountKopecks: 2_500 },
      ],
      deliveryFeeKopecks: 15_000,
    });
    expect(receipt.customer).toEqual({ phone: '+79001234567' });
    expect(
      receipt.items.map((i) => [i.description, i.quantity, i.amount.value, i.payment_subject]),
    ).toEqual([
      ['Молочный чай', '2', '350.00', 'commodity'],
      ['Фруктовый чай', '1', '225.00', 'commodity'],
      ['Доставка', '1', '150.00', 'service'],
    ]);
    expect(receiptTotal(receipt)).toBe(70_000 + 22_500 + 15_000);
  });

  it('splits a line whose paid total does not divide by its quantity', () => {
    const receipt = buildReceipt({
      ...base,
      lines: [{ name: 'Чай', quantity: 3, lineTotalKopecks: 90_000, discountKopecks: 1 }],
      deliveryFeeKopecks: 0,
    });
    expect(receipt.items.map((i) => [i.quantity, i.amount.value])).toEqual([
      ['2', '299.99'],
      ['1', '300.01'],
    ]);
  });

  it('always adds up to the amount charged', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .record({
              quantity: fc.integer({ min: 1, max: 99 }),
              unit: fc.integer({ min: 1, max: 100_000 }),
            })
            .chain(({ quantity, unit }) =>
              fc.record({
                name: fc.constant('Напиток'),
                quantity: fc.constant(quantity),
                lineTotalKopecks: fc.constant(quantity * unit),
                discountKopecks: fc.integer({ min: 0, max: quantity * unit }),
              }),
            ),
          { minLength: 1, maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 100_000 }),
        (lines, fee) => {
          const receipt = buildReceipt({ ...base, lines, deliveryFeeKopecks: fee });
          const charged =
            lines.reduce((s, l) => s + l.lineTotalKopecks - l.discountKopecks, 0) + fee;
          expect(receiptTotal(receipt)).toBe(charged);
          for (const i of receipt.items) expect(Number(i.amount.value)).toBeGreaterThan(0);
        },
      ),
    );
  });
});
