/**
 * CSV for the influencer performance report, shaped for Excel as Russian head office uses it:
 * UTF-8 with a byte-order mark (without it Excel reads Cyrillic as cp1251 mojibake), `;` between
 * fields and a decimal comma in numbers (the ru-RU list and decimal separators, so numbers land in
 * numeric cells), CRLF line ends (RFC 4180).
 */

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';

export type CsvCell = string | number | null | { text: string };

// A text cell starting with one of these is read by spreadsheet apps as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: quoted when it holds the separator, a quote, a line break or edge spaces. */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  let value: string;
  if (typeof cell === 'number') {
    value = String(cell);
  } else {
    const text = typeof cell === 'string' ? cell : cell.text;
    // names are typed by staff; a leading apostrophe keeps "=HYPERLINK(...)" inert
    value = typeof cell === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
  }
  if (/[";\r\n]/.test(value) || value !== value.trim()) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/**
 * Rows → file body. Plain strings are treated as untrusted text (formula-guarded); pass numbers
 * already formatted with `{ text }` (e.g. `{ text: '350,50' }`) so a minus sign stays a number.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(CSV_SEPARATOR));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** 35050 kopecks → '350,50' (rubles with two decimals and a decimal comma). */
export function csvMoney(kopecks: number): { text: string } {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(kopecks);
  return { text: `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}` };
}
