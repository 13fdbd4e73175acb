import { kopecks, type Kopecks } from '~/utils/money';

/**
 * Influencer performance arithmetic (OS-8), integers only. `commission_rate` is numeric(5,2)
 * percent; it is read as hundredths of a percent ("12.35" → 1235) by parsing the decimal string,
 * so 12.35 % never passes through a float.
 */

const RATE = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** '12.35' → 1235, '10' → 1000, '0.5' → 50. Throws on anything that is not a 0..100 percent. */
export function rateHundredths(rate: string): number {
  const m = RATE.exec(rate.trim());
  if (!m) throw new RangeError(`not a commission rate: ${JSON.stringify(rate)}`);
  const value = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (value > 10_000) throw new RangeError(`commission rate above 100: ${rate}`);
  return value;
}

/**
 * rhu(gmv_kopecks × commission_rate × 100, 10 000) with the rate as hundredths of a percent.
 * BigInt because gmv (up to 10^12 kopecks) × 10^4 leaves the safe-integer range.
 */
export function commissionKopecks(gmv: Kopecks | number, rate: string): Kopecks {
  if (!Number.isSafeInteger(gmv) || gmv < 0) throw new RangeError(`bad gmv ${gmv}`);
  const a = BigInt(gmv) * BigInt(rateHundredths(rate));
  const b = 10_000n;
  return kopecks(Number((2n * a + b) / (2n * b)));
}

/**
 * Conversion = order_count ÷ scan_count as hundredths of a percent (rounded half up), null when
 * there were no scans (nothing to convert; 0 % would claim the code failed).
 */
export function conversionHundredths(orderCount: number, scanCount: number): number | null {
  if (scanCount <= 0) return null;
  const a = BigInt(orderCount) * 10_000n;
  const b = BigInt(scanCount);
  return Number((2n * a + b) / (2n * b));
}

/** 1235 → '12.35' (the decimal comma is the caller's choice). */
export function formatHundredths(value: number, decimal: '.' | ',' = '.'): string {
  return `${Math.floor(value / 100)}${decimal}${String(value % 100).padStart(2, '0')}`;
}

export interface PerformanceTotals {
  scans: number;
  orders: number;
  gmvKopecks: number;
  /** Σ of the per-code commissions (each rounded once, per code). */
  commissionKopecks: number;
  conversionHundredths: number | null;
}

export function performanceTotals(
  rows: readonly {
    scan_count: number;
    order_count: number;
    gmv_kopecks: number;
    commission_kopecks: number;
  }[],
): PerformanceTotals {
  let scans = 0;
  let orders = 0;
  let gmv = 0;
  let commission = 0;
  for (const r of rows) {
    scans += r.scan_count;
    orders += r.order_count;
    gmv += r.gmv_kopecks;
    commission += r.commission_kopecks;
  }
  return {
    scans,
    orders,
    gmvKopecks: gmv,
    commissionKopecks: commission,
    conversionHundredths: conversionHundredths(orders, scans),
  };
}
