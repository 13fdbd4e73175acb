/**
 * Phone input of customers (AU-1). Isomorphic: the sign-in form checks the same rule before it
 * posts, the server decides.
 *
 * Spaces, dashes, dots and brackets are stripped; `8XXXXXXXXXX` and `7XXXXXXXXXX` become
 * `+7XXXXXXXXXX`, ten digits get the `+7` prefix; the result must be a Russian number in E.164
 * (`^\+7[0-9]{10}$`). Anything else — letters, other countries, too few digits — is rejected.
 */
export const E164_RU = /^\+7[0-9]{10}$/;

/** Longest input worth looking at: a formatted number with generous spacing. */
export const PHONE_INPUT_MAX_LENGTH = 32;

export function normalizePhone(input: string): string | null {
  if (input.length > PHONE_INPUT_MAX_LENGTH) return null;
  const compact = input.replace(/[\s\-.()]/g, '');
  let candidate: string;
  if (/^\+7[0-9]{10}$/.test(compact)) candidate = compact;
  else if (/^[78][0-9]{10}$/.test(compact)) candidate = `+7${compact.slice(1)}`;
  else if (/^[0-9]{10}$/.test(compact)) candidate = `+7${compact}`;
  else return null;
  return E164_RU.test(candidate) ? candidate : null;
}

/** `+79001234567` → `+7 900 123-45-67`, for showing a number back to its owner. */
export function formatPhone(e164: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : e164;
}

/** `+79001234567` → `+7 900 ***-**-67`: what the account page shows (AU-6 spirit). */
export function maskPhoneForDisplay(e164: string): string {
  const m = /^\+7(\d{3})\d{5}(\d{2})$/.exec(e164);
  return m ? `+7 ${m[1]} ***-**-${m[2]}` : '***';
}
