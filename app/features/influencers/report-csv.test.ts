import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, csvMoney, toCsv } from './report-csv';

describe('csvField', () => {
  it('leaves plain values alone', () => {
    expect(csvField('Анна Иванова')).toBe('Анна Иванова');
    expect(csvField(42)).toBe('42');
    expect(csvField(null)).toBe('');
  });

  it('quotes separators, quotes, line breaks and edge spaces, doubling quotes', () => {
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('Кафе "Чай"')).toBe('"Кафе ""Чай"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField(' padded ')).toBe('" padded "');
    // a comma is not our separator: no quoting needed
    expect(csvField('a,b')).toBe('a,b');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('+7999')).toBe("'+7999");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@me')).toBe("'@me");
    // formatted numbers are passed as { text } and stay numbers
    expect(csvField(csvMoney(-150))).toBe('-1,50');
  });
});

describe('toCsv', () => {
  it('starts with a BOM, separates by ";" and ends lines with CRLF', () => {
    const body = toCsv(
      ['Блогер', 'Оборот'],
      [
        ['Анна; "Чай"', csvMoney(35_050)],
        ['Б', csvMoney(5)],
      ],
    );
    expect(body.startsWith(CSV_BOM)).toBe(true);
    expect(body.slice(1)).toBe('Блогер;Оборот\r\n"Анна; ""Чай""";350,50\r\nБ;0,05\r\n');
  });
});
