/**
 * Money (C-4, C-5, PR-7): integer kopecks in TypeScript, numeric(12,2) rubles in PostgreSQL.
 * Conversion parses and prints decimal strings; no value ever passes through a float.
 */
declare const kopecksBrand: unique symbol;
export type Kopecks = number & { readonly [kopecksBrand]: true };

/** numeric(12,2) holds at most 10 integer digits. */
export const MAX_KOPECKS = 9_999_999_999_99;

export function kopecks(value: number): Kopecks {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`kopecks must be an integer, got ${value}`);
  return value as Kopecks;
}

const DECIMAL = /^(-)?(\d{1,10})(?:\.(\d{1,2}))?$/;

/** '350.00' | '350.5' | '350' → 35000 | 35050 | 35000. Rejects more than 2 decimals. */
export function fromDecimal(value: string): Kopecks {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new RangeError(`not a money amount: ${JSON.stringify(value)}`);
  const [, sign, rubles, fraction = ''] = m;
  const abs = Number(rubles) * 100 + Number(fraction.padEnd(2, '0'));
  return kopecks(sign ? -abs : abs);
}

/** 35050 → '350.50' (the form PostgreSQL numeric and YooKassa expect). */
export function toDecimal(value: Kopecks | number): string {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`kopecks must be an integer, got ${value}`);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Half-up integer division for a ≥ 0, b > 0: rhu(a, b) = floor((2a + b) / (2b)) (C-5). */
export function rhu(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= 0) {
    throw new RangeError(`rhu needs integers a >= 0, b > 0 (got ${a}, ${b})`);
  }
  return Math.floor((2 * a + b) / (2 * b));
}

export function sum(values: readonly (Kopecks | number)[]): Kopecks {
  return kopecks(values.reduce<number>((acc, v) => acc + v, 0));
}

const integerFormatters = new Map<string, Intl.NumberFormat>();

/** 35050 → '350,50 ₽' (ru) / '350.50 ₽' (zh, en). Display only; the fraction is printed exactly. */
export function formatRub(value: Kopecks | number, lang: 'ru' | 'zh' | 'en' = 'ru'): string {
  const locale = lang === 'ru' ? 'ru-RU' : lang === 'zh' ? 'zh-CN' : 'en-US';
  let f = integerFormatters.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    integerFormatters.set(locale, f);
  }
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const decimal = lang === 'ru' ? ',' : '.';
  return `${sign}${f.format(Math.floor(abs / 100))}${decimal}${String(abs % 100).padStart(2, '0')} ₽`;
}
