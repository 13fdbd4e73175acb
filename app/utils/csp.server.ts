import crypto from 'node:crypto';

/**
 * The Content-Security-Policy of every HTML document. Scripts run only from this origin or
 * inline with the per-response nonce (Remix's context and module scripts, scroll restoration);
 * styles may be inline because React renders `style` attributes (charts, progress bars). Nothing
 * may frame the site, and plugins are off.
 *
 * `form-action` is left out on purpose: checkout posts to this origin and is then redirected to
 * the payment provider's confirmation page, a redirect browsers would check against it.
 */
export function createNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
