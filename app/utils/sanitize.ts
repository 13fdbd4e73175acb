/**
 * Log sanitizer (CF-7): masks values of fields whose names contain token, password, secret, key,
 * authorization, cookie, phone, card or code (but not error_code / status_code), masks phone
 * numbers inside free text (AU-6) and cuts long strings at 500 characters.
 */
const SENSITIVE = /(token|password|secret|key|authorization|cookie|phone|card|code)/i;
const ALLOWED = /^(error_?code|status_?code|errorCode|statusCode|http_status_code)$/i;
const MAX_STRING = 500;
const MAX_DEPTH = 8;
const PHONE_IN_TEXT = /\+?[78][\s-]?\(?(\d{3})\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?(\d{2})\b/g;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE.test(key) && !ALLOWED.test(key);
}

/** `+79001234567` → `+7900***4567`. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 8) return '***';
  return `+${digits.slice(0, 4)}***${digits.slice(-4)}`;
}

function maskValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (/phone/i.test(key) && typeof value === 'string') return maskPhone(value);
  return '[REDACTED]';
}

function cut(value: string): string {
  const masked = value.replace(PHONE_IN_TEXT, (m) => maskPhone(m));
  return masked.length > MAX_STRING
    ? `${masked.slice(0, MAX_STRING)}…[+${masked.length - MAX_STRING}]`
    : masked;
}

export function sanitize(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return cut(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1, seen));
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return sanitize(
      {
        type: value.name,
        message: value.message,
        stack: value.stack,
        error_code: code === undefined ? undefined : String(code),
      },
      depth,
      seen,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k) ? maskValue(k, v) : sanitize(v, depth + 1, seen);
  }
  return out;
}
