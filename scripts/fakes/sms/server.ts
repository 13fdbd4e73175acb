import crypto from 'node:crypto';
import http from 'node:http';
import { isRecord, readBody, sendJson } from '../http';

/**
 * Local fake SMS gateway (AU-7), a separate process in development, e2e and integration tests.
 * The app's real HTTP client (app/integrations/sms/sms-client.server.ts) talks to it exactly as it
 * would to a provider. Protocol (also in docs/integrations/sms-gateway.md):
 *
 *   POST /v1/messages            Authorization: Bearer <api key>
 *        {"to":"+79001234567","text":"…","sender":"CTEA"}
 *        → 201 {"id","status":"queued"} · 401 bad key · 400 bad body · 413 body over 64 KiB
 *   GET  /outbox?phone=+7…       → 200 {"messages":[{id,to,text,sender,created_at}]}, newest first;
 *                                  without `phone` every kept message. The phone matches by digits,
 *                                  so an unescaped "+" (a space after URL decoding) still matches.
 *   POST /__control/fail         {"count":N,"status":500,"delay_ms"?:0} → the next N sends (after the
 *                                  key check) answer that status, each after an optional delay
 *   POST /__control/reset        → forgets messages and pending faults
 *
 * Only the last 100 messages are kept. Error bodies are `{"error":{"code","message"}}`.
 */

export const DEFAULT_API_KEY = 'fake-sms-key';
const MAX_MESSAGES = 100;
const MAX_BODY_BYTES = 64 * 1024;
const E164 = /^\+[1-9][0-9]{6,14}$/;

export interface OutboxMessage {
  id: string;
  to: string;
  text: string;
  sender: string;
  created_at: string;
}

interface Fault {
  remaining: number;
  status: number;
  delayMs: number;
}

export interface FakeSmsServer {
  server: http.Server;
  /** Kept messages, oldest first. */
  messages: OutboxMessage[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const raw = await readBody(
    req,
    MAX_BODY_BYTES,
    () => new HttpError(413, 'payload_too_large', 'body exceeds 64 KiB'),
  );
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not valid JSON');
  }
}

function sameKey(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) return false;
  const a = crypto.createHash('sha256').update(match[1]!).digest();
  const b = crypto.createHash('sha256').update(apiKey).digest();
  return crypto.timingSafeEqual(a, b);
}

function parseMessage(body: unknown): { to: string; text: string; sender: string } {
  if (!isRecord(body)) throw new HttpError(400, 'invalid_body', 'body must be a JSON object');
  const { to, text, sender } = body;
  if (typeof to !== 'string' || !E164.test(to))
    throw new HttpError(400, 'invalid_to', '"to" must be an E.164 phone number');
  if (typeof text !== 'string' || text.trim() === '' || text.length > 1000)
    throw new HttpError(400, 'invalid_text', '"text" must be 1..1000 characters');
  if (
    sender !== undefined &&
    (typeof sender !== 'string' || !/^[A-Za-z0-9 .-]{1,11}$/.test(sender))
  )
    throw new HttpError(400, 'invalid_sender', '"sender" must be 1..11 latin letters or digits');
  return { to, text, sender: (sender as string | undefined) ?? 'SMS' };
}

function parseFault(body: unknown): Fault {
  if (!isRecord(body)) throw new HttpError(400, 'invalid_body', 'body must be a JSON object');
  const { count, status, delay_ms: delayMs = 0 } = body;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 1000)
    throw new HttpError(400, 'invalid_count', '"count" must be an integer 1..1000');
  if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)
    throw new HttpError(400, 'invalid_status', '"status" must be an HTTP error status 400..599');
  if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > 60_000)
    throw new HttpError(400, 'invalid_delay', '"delay_ms" must be an integer 0..60000');
  return { remaining: count as number, status: status as number, delayMs: delayMs as number };
}

const digits = (value: string) => value.replace(/\D/g, '');

export function createFakeSmsServer({
  apiKey = DEFAULT_API_KEY,
}: { apiKey?: string } = {}): FakeSmsServer {
  const messages: OutboxMessage[] = [];
  let fault: Fault | null = null;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.sms');
    const route = `${req.method} ${url.pathname}`;

    if (route === 'POST /v1/messages') {
      if (!sameKey(req.headers.authorization, apiKey))
        throw new HttpError(401, 'unauthorized', 'missing or invalid API key');
      if (fault) {
        const { status, delayMs } = fault;
        fault.remaining -= 1;
        if (fault.remaining <= 0) fault = null;
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        throw new HttpError(status, 'injected_failure', `injected failure ${status}`);
      }
      const message = parseMessage(await readJson(req));
      const stored: OutboxMessage = {
        id: crypto.randomUUID(),
        ...message,
        created_at: new Date().toISOString(),
      };
      messages.push(stored);
      if (messages.length > MAX_MESSAGES) messages.splice(0, messages.length - MAX_MESSAGES);
      return sendJson(res, 201, { id: stored.id, status: 'queued' });
    }

    if (route === 'GET /outbox') {
      const phone = url.searchParams.get('phone');
      const wanted = phone === null ? null : digits(phone);
      const list = messages
        .filter((m) => wanted === null || digits(m.to) === wanted)
        .slice()
        .reverse();
      return sendJson(res, 200, { messages: list });
    }

    if (route === 'POST /__control/fail') {
      fault = parseFault(await readJson(req));
      return sendJson(res, 200, { ok: true });
    }

    if (route === 'POST /__control/reset') {
      messages.length = 0;
      fault = null;
      return sendJson(res, 200, { ok: true });
    }

    const known = ['/v1/messages', '/outbox', '/__control/fail', '/__control/reset'];
    if (known.includes(url.pathname))
      throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`);
    throw new HttpError(404, 'not_found', 'no such endpoint');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof HttpError)
        return sendJson(res, err.status, { error: { code: err.code, message: err.message } });
      sendJson(res, 500, { error: { code: 'internal', message: 'unexpected fake failure' } });
    });
  });
  return { server, messages };
}
