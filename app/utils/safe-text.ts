import { z } from 'zod';

/**
 * Free text from a client, checked at the zod boundary. PostgreSQL text cannot hold NUL (an insert
 * fails with 22021 and the request would end in a 500), and the other control characters —
 * terminal escapes, the bell, C1 codes, bidi overrides that reorder what staff read on an order
 * card — have no place in an address, a name or a comment. Tab, newline and carriage return are
 * ordinary text. Isomorphic.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function hasControlCharacters(value: string): boolean {
  return FORBIDDEN.test(value);
}

/** A trimmed string of at most `max` characters without control characters. */
export function safeText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .refine((value) => !hasControlCharacters(value), {
      error: 'must not contain control characters',
    });
}

const DIGITS = /^\d{1,10}$/;

/**
 * A database id as a JSON number or a string of digits (form fields). Unlike `z.coerce.number()`
 * it refuses `true`, `[]` and `""` instead of reading them as 1 or 0.
 */
export function idField() {
  return z
    .union([z.number(), z.string().trim().regex(DIGITS)])
    .transform(Number)
    .pipe(z.number().int().positive().max(2_147_483_647));
}
