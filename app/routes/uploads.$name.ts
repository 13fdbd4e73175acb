import type { LoaderFunctionArgs } from '@remix-run/node';
import { readImageUpload } from '~/features/uploads/uploads.server';

/**
 * Serves uploaded product images (public: they appear on the customer menu). The name is checked
 * against the stored-name pattern before touching the file system, so `..`, slashes and encoded
 * separators never reach a path. Names are random and never reused, hence the long cache.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const file = await readImageUpload(params.name);
  if (!file) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  return new Response(new Uint8Array(file.body), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
    },
  });
}
