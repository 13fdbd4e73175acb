/** Liveness (DA-4): the process is up and serving. No database call. */
export function loader() {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
