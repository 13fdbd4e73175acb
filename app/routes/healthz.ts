/**
 * Liveness (DA-4): the process is up and serving. No database call, so a database outage never
 * makes a supervisor restart a process that would recover by itself (CF-3; /readyz reports it).
 */
export function loader() {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
