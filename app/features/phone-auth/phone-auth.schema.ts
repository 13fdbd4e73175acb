import { z } from 'zod';
import { normalizePhone, PHONE_INPUT_MAX_LENGTH } from './phone';

/**
 * Bodies of the sign-in endpoints and the sign-in page (isomorphic). Shape problems are
 * VALIDATION_FAILED; a string that is not a Russian mobile number is INVALID_PHONE (AU-1), decided
 * by `normalizePhone`, so the page and both APIs give the same answer.
 */

const text = z.string().max(200);

export const sendCodeBodySchema = z.object({ phone: text });
export const verifyCodeBodySchema = z.object({ phone: text, code: text });

export type SendCodeBody = z.output<typeof sendCodeBodySchema>;
export type VerifyCodeBody = z.output<typeof verifyCodeBodySchema>;

export const CODE_LENGTH = 6;

/** "123 456" → "123456"; null unless exactly six ASCII digits remain. */
export function normalizeCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  return /^[0-9]{6}$/.test(compact) ? compact : null;
}

export { normalizePhone, PHONE_INPUT_MAX_LENGTH };
