import http from 'node:http';
import { isRecord, readBody, sendJson } from '../http';

/**
 * Local fake Telegram Bot API (NT-1, NT-5), a separate process in development, e2e and
 * integration tests. The app's real client (app/integrations/telegram/telegram-client.server.ts)
 * talks to it exactly as it would to api.telegram.org. Protocol (integrations.md §3):
 *
 *   POST /bot<token>/sendMessage  JSON, form-urlencoded or query parameters
 *        {chat_id, text, parse_mode?, disable_notification?, …}
 *        → 200 {"ok":true,"result":{message_id, from, chat:{id,type}, date, text, entities?}}
 *          where `text` is the text after entity parsing, as Telegram returns it
 *        → {"ok":false,"error_code","description","parameters"?:{"retry_after"}} with the same
 *          HTTP status: 401 unknown token, 404 unknown method, 400 empty or missing chat_id/text,
 *          unsupported parse_mode, text over 4096 characters after parsing, malformed HTML
 *          ("can't parse entities: …"); 403 blocked chat; injected 429/5xx
 *   GET  /__control/messages?chat_id=  → {"messages":[…]} every accepted message, oldest first
 *   GET  /__control/requests           → {"requests":[{chat_id, status, at}]} every sendMessage
 *                                         call with a parsable chat_id, answered or not
 *   POST /__control/fail   {"count":N,"status":429|403|400|500|502…,"retry_after"?,"chat_id"?,
 *                           "description"?,"delay_ms"?} → the next N sendMessage calls (to that
 *                           chat only, when given) answer that error; rules queue up in order
 *   POST /__control/block  {"chat_id","blocked"?:true} → that chat answers 403 "bot was blocked
 *                           by the user" until unblocked or reset
 *   POST /__control/reset  → forgets messages, requests, faults and blocks
 *
 * HTML parse mode is checked the way Telegram does: only its tags (b/strong, i/em, u/ins,
 * s/strike/del, span class="tg-spoiler", tg-spoiler, a, code, pre, blockquote, tg-emoji),
 * properly nested and closed; `&lt; &gt; &amp; &quot;` and numeric entities are decoded; a `<`
 * that does not open a supported tag is an error. Like Telegram, an `&` that starts no known
 * entity is kept as text. Lengths count UTF-16 code units, as Telegram does.
 */

export const DEFAULT_BOT_TOKEN = '123456:fake-token';
export const MAX_TEXT_LENGTH = 4096;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_KEPT = 10_000;
const BOT_USER = {
  id: 123456,
  is_bot: true,
  first_name: 'CTEA Fake Bot',
  username: 'ctea_fake_bot',
};

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export interface RecordedMessage {
  message_id: number;
  chat_id: number | string;
  /** The text exactly as sent. */
  raw_text: string;
  /** The text after entity parsing (what Telegram shows and returns). */
  text: string;
  entities: MessageEntity[];
  parse_mode: string | null;
  disable_notification: boolean;
  date: number;
}

export interface RecordedRequest {
  chat_id: number | string;
  status: number;
  at: string;
}

interface Fault {
  remaining: number;
  status: number;
  retryAfter: number | null;
  chatId: string | null;
  description: string | null;
  delayMs: number;
}

export interface FakeTelegramServer {
  server: http.Server;
  /** Accepted messages, oldest first. */
  messages: RecordedMessage[];
  requests: RecordedRequest[];
}

/** A Bot API error answer: HTTP status = error_code. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly retryAfter: number | null = null,
  ) {
    super(description);
  }
}

/** An error of the control API (not part of the Bot API). */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Telegram answers `application/json` without a charset. */
function sendTelegramJson(res: http.ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, body, 'application/json');
}

function sendApiError(res: http.ServerResponse, err: ApiError): void {
  // Telegram's front end answers gateway failures with an HTML page, not the JSON envelope
  if (err.status === 502 || err.status === 504) {
    const page = `<html>\r\n<head><title>${err.status} ${err.description}</title></head>\r\n<body>\r\n<center><h1>${err.status} ${err.description}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
    res.writeHead(err.status, { 'Content-Type': 'text/html', 'Content-Length': page.length });
    res.end(page);
    return;
  }
  sendTelegramJson(res, err.status, {
    ok: false,
    error_code: err.status,
    description: err.description,
    ...(err.retryAfter === null ? {} : { parameters: { retry_after: err.retryAfter } }),
  });
}

function readRequestBody(req: http.IncomingMessage): Promise<string> {
  return readBody(req, MAX_BODY_BYTES, () => new ApiError(413, 'Request Entity Too Large'));
}

/** Query parameters, then the body (JSON or form), as Telegram merges them. */
async function readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const raw = await readRequestBody(req);
  if (raw.trim() === '') return params;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new ApiError(400, "Bad Request: can't parse JSON");
    }
    if (!isRecord(body)) throw new ApiError(400, 'Bad Request: JSON object expected');
    return { ...params, ...body };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(raw)) };
  }
  throw new ApiError(400, 'Bad Request: unsupported Content-Type');
}

/** `chat_id`: an integer (number or decimal string) or "@username"; null when unusable. */
function parseChatId(value: unknown): number | string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value !== 0 ? value : null;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (/^-?[0-9]{1,16}$/.test(trimmed)) {
    const n = Number(trimmed);
    return Number.isSafeInteger(n) && n !== 0 ? n : null;
  }
  return /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(trimmed) ? trimmed : null;
}

function chatType(chatId: number | string): 'private' | 'group' | 'supergroup' | 'channel' {
  if (typeof chatId === 'string') return 'channel';
  if (chatId > 0) return 'private';
  return chatId <= -1_000_000_000_000 ? 'supergroup' : 'group';
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

// ---------------------------------------------------------------------------------------------
// HTML parse mode
// ---------------------------------------------------------------------------------------------

const ENTITY_BY_TAG: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type HtmlParseResult =
  { ok: true; text: string; entities: MessageEntity[] } | { ok: false; description: string };

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

/** Decodes an entity starting at `text[i] === '&'`; null when none starts there. */
function decodeEntity(text: string, i: number): { value: string; length: number } | null {
  const match = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});/.exec(text.slice(i, i + 12));
  if (!match) return null;
  const body = match[1]!;
  if (body.startsWith('#')) {
    const code =
      body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body.slice(1));
    if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
    return { value: String.fromCodePoint(code), length: match[0].length };
  }
  const named = NAMED_ENTITIES[body];
  return named === undefined ? null : { value: named, length: match[0].length };
}

function decodeAttribute(value: string): string {
  let out = '';
  for (let i = 0; i < value.length;) {
    const entity = value[i] === '&' ? decodeEntity(value, i) : null;
    if (entity) {
      out += entity.value;
      i += entity.length;
    } else {
      out += value[i];
      i += 1;
    }
  }
  return out;
}

interface OpenTag {
  tag: string;
  offset: number;
  attributes: Record<string, string>;
}

/** Telegram's HTML parse mode: the plain text and its entities, or the "can't parse" reason. */
export function parseTelegramHtml(html: string): HtmlParseResult {
  const fail = (reason: string): HtmlParseResult => ({
    ok: false,
    description: `Bad Request: can't parse entities: ${reason}`,
  });
  let text = '';
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '&') {
      const entity = decodeEntity(html, i);
      text += entity ? entity.value : '&';
      i += entity ? entity.length : 1;
      continue;
    }
    if (c !== '<') {
      text += c;
      i += 1;
      continue;
    }

    const start = i;
    if (html[i + 1] === '/') {
      const match = /^<\/([a-zA-Z0-9-]*)\s*>/.exec(html.slice(i, i + 64));
      if (!match) return fail(`Unclosed end tag at byte offset ${byteOffset(html, start)}`);
      const name = match[1]!.toLowerCase();
      const top = open.pop();
      if (!top) return fail(`Unexpected end tag at byte offset ${byteOffset(html, start)}`);
      if (name !== top.tag) {
        return fail(
          `Unmatched end tag at byte offset ${byteOffset(html, start)}, expected "</${top.tag}>", found "</${name}>"`,
        );
      }
      const length = text.length - top.offset;
      if (length > 0) {
        const entity: MessageEntity = { type: ENTITY_BY_TAG[top.tag]!, offset: top.offset, length };
        if (top.tag === 'a') entity.url = top.attributes.href ?? '';
        if (top.tag === 'tg-emoji') entity.custom_emoji_id = top.attributes['emoji-id'] ?? '';
        if (top.tag === 'pre' && top.attributes.language) entity.language = top.attributes.language;
        entities.push(entity);
      }
      i += match[0].length;
      continue;
    }

    const nameMatch = /^[a-zA-Z0-9-]*/.exec(html.slice(i + 1, i + 64))!;
    const name = nameMatch[0].toLowerCase();
    if (!(name in ENTITY_BY_TAG)) {
      return fail(
        `Unsupported start tag "${nameMatch[0]}" at byte offset ${byteOffset(html, start)}`,
      );
    }
    i += 1 + nameMatch[0].length;
    const attributes: Record<string, string> = {};
    for (;;) {
      while (i < html.length && /\s/.test(html[i]!)) i += 1;
      if (i >= html.length)
        return fail(`Unclosed start tag at byte offset ${byteOffset(html, start)}`);
      if (html[i] === '>') {
        i += 1;
        break;
      }
      const attr = /^[a-zA-Z-]+/.exec(html.slice(i, i + 64));
      if (!attr) {
        return fail(
          `Empty attribute name in the tag "${name}" at byte offset ${byteOffset(html, start)}`,
        );
      }
      const attrName = attr[0].toLowerCase();
      i += attr[0].length;
      while (i < html.length && /\s/.test(html[i]!)) i += 1;
      let value = '';
      if (html[i] === '=') {
        i += 1;
        while (i < html.length && /\s/.test(html[i]!)) i += 1;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, i + 1);
          if (end < 0) {
            return fail(`Unclosed start tag at byte offset ${byteOffset(html, start)}`);
          }
          value = html.slice(i + 1, end);
          i = end + 1;
        } else {
          const unquoted = /^[^\s>"'=<`]+/.exec(html.slice(i));
          if (!unquoted) {
            return fail(
              `Expected equal sign in declaration of an attribute of the tag at byte offset ${byteOffset(html, start)}`,
            );
          }
          value = unquoted[0];
          i += value.length;
        }
      }
      attributes[attrName] = decodeAttribute(value);
    }
    if (name === 'span' && attributes.class !== 'tg-spoiler') {
      return fail(
        `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(html, start)}`,
      );
    }
    if (name === 'code' && open.at(-1)?.tag === 'pre') {
      const language = /^language-(.+)$/.exec(attributes.class ?? '');
      if (language) open.at(-1)!.attributes.language = language[1]!;
    }
    open.push({ tag: name, offset: text.length, attributes });
  }
  if (open.length > 0) {
    return fail(`Can't find end tag corresponding to start tag "${open.at(-1)!.tag}"`);
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text, entities };
}

// ---------------------------------------------------------------------------------------------
// Control API input
// ---------------------------------------------------------------------------------------------

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: chat not found',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
};

async function readControlJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRequestBody(req).catch(() => {
    throw new ControlError(413, 'body too large');
  });
  if (raw.trim() === '') return {};
  try {
    const body: unknown = JSON.parse(raw);
    if (isRecord(body)) return body;
  } catch {
    // answered below
  }
  throw new ControlError(400, 'body must be a JSON object');
}

function parseFault(body: Record<string, unknown>): Fault {
  const { count = 1, status, retry_after: retryAfter, chat_id: chatId, description } = body;
  const delayMs = body.delay_ms ?? 0;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 10_000)
    throw new ControlError(400, '"count" must be an integer 1..10000');
  if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)
    throw new ControlError(400, '"status" must be an HTTP error status 400..599');
  if (
    retryAfter !== undefined &&
    (!Number.isInteger(retryAfter) || (retryAfter as number) < 1 || (retryAfter as number) > 86_400)
  )
    throw new ControlError(400, '"retry_after" must be an integer 1..86400 seconds');
  if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > 120_000)
    throw new ControlError(400, '"delay_ms" must be an integer 0..120000');
  if (description !== undefined && typeof description !== 'string')
    throw new ControlError(400, '"description" must be a string');
  let chat: string | null = null;
  if (chatId !== undefined && chatId !== null) {
    const parsed = parseChatId(chatId);
    if (parsed === null) throw new ControlError(400, '"chat_id" must be a chat id');
    chat = String(parsed);
  }
  const code = status as number;
  return {
    remaining: count as number,
    status: code,
    retryAfter: code === 429 ? ((retryAfter as number | undefined) ?? 1) : null,
    chatId: chat,
    description: (description as string | undefined) ?? null,
    delayMs: delayMs as number,
  };
}

function faultError(fault: Fault): ApiError {
  if (fault.status === 429) {
    const description = fault.description ?? `Too Many Requests: retry after ${fault.retryAfter}`;
    return new ApiError(429, description, fault.retryAfter);
  }
  return new ApiError(
    fault.status,
    fault.description ?? DEFAULT_DESCRIPTIONS[fault.status] ?? `Error ${fault.status}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

export function createFakeTelegramServer({
  token = DEFAULT_BOT_TOKEN,
}: { token?: string } = {}): FakeTelegramServer {
  const messages: RecordedMessage[] = [];
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const blocked = new Set<string>();
  const lastMessageId = new Map<string, number>();

  function takeFault(chatId: number | string): Fault | null {
    const index = faults.findIndex((f) => f.chatId === null || f.chatId === String(chatId));
    if (index < 0) return null;
    const fault = faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  }

  function keep<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT);
  }

  async function sendMessage(params: Record<string, unknown>): Promise<unknown> {
    if (params.chat_id === undefined || params.chat_id === '')
      throw new ApiError(400, 'Bad Request: chat_id is empty');
    const chatId = parseChatId(params.chat_id);
    if (chatId === null) throw new ApiError(400, 'Bad Request: chat not found');

    const record = (status: number) =>
      keep(requests, { chat_id: chatId, status, at: new Date().toISOString() });
    try {
      const fault = takeFault(chatId);
      if (fault) {
        if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
        throw faultError(fault);
      }
      if (blocked.has(String(chatId)))
        throw new ApiError(403, 'Forbidden: bot was blocked by the user');

      const rawText = params.text;
      if (rawText === undefined || rawText === null || rawText === '')
        throw new ApiError(400, 'Bad Request: message text is empty');
      if (typeof rawText !== 'string' && typeof rawText !== 'number')
        throw new ApiError(400, 'Bad Request: message text is empty');
      const raw = String(rawText);

      const modeValue = params.parse_mode;
      let parseMode: string | null = null;
      if (modeValue !== undefined && modeValue !== null && modeValue !== '') {
        if (typeof modeValue !== 'string')
          throw new ApiError(400, 'Bad Request: unsupported parse_mode');
        const mode = modeValue.toLowerCase();
        if (!['html', 'markdown', 'markdownv2'].includes(mode))
          throw new ApiError(400, 'Bad Request: unsupported parse_mode');
        parseMode = modeValue;
      }

      let text = raw;
      let entities: MessageEntity[] = [];
      if (parseMode?.toLowerCase() === 'html') {
        const parsed = parseTelegramHtml(raw);
        if (!parsed.ok) throw new ApiError(400, parsed.description);
        ({ text, entities } = parsed);
      }
      if (text.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
      if (text.length > MAX_TEXT_LENGTH)
        throw new ApiError(400, 'Bad Request: message is too long');

      const key = String(chatId);
      const messageId = (lastMessageId.get(key) ?? 0) + 1;
      lastMessageId.set(key, messageId);
      const date = Math.floor(Date.now() / 1000);
      keep(messages, {
        message_id: messageId,
        chat_id: chatId,
        raw_text: raw,
        text,
        entities,
        parse_mode: parseMode,
        disable_notification: truthy(params.disable_notification),
        date,
      });
      record(200);
      const type = chatType(chatId);
      return {
        message_id: messageId,
        from: BOT_USER,
        chat:
          type === 'private'
            ? { id: chatId, type, first_name: 'Test user' }
            : { id: chatId, type, title: 'Test chat' },
        date,
        text,
        ...(entities.length > 0 ? { entities } : {}),
      };
    } catch (err) {
      record(err instanceof ApiError ? err.status : 500);
      throw err;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.telegram');

    const bot = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (bot) {
      if (decodeURIComponent(bot[1]!) !== token) throw new ApiError(401, 'Unauthorized');
      if (bot[2]!.toLowerCase() !== 'sendmessage') throw new ApiError(404, 'Not Found');
      if (req.method !== 'POST' && req.method !== 'GET') throw new ApiError(404, 'Not Found');
      const result = await sendMessage(await readParams(req, url));
      return sendTelegramJson(res, 200, { ok: true, result });
    }

    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /__control/messages') {
      const wanted = url.searchParams.get('chat_id');
      const chat = wanted === null || wanted === '' ? null : String(parseChatId(wanted));
      return sendTelegramJson(res, 200, {
        messages: messages.filter((m) => chat === null || String(m.chat_id) === chat),
      });
    }
    if (route === 'GET /__control/requests') {
      return sendTelegramJson(res, 200, { requests });
    }
    if (route === 'POST /__control/fail') {
      faults.push(parseFault(await readControlJson(req)));
      return sendTelegramJson(res, 200, { ok: true });
    }
    if (route === 'POST /__control/block') {
      const body = await readControlJson(req);
      const chatId = parseChatId(body.chat_id);
      if (chatId === null) throw new ControlError(400, '"chat_id" must be a chat id');
      if (body.blocked === false) blocked.delete(String(chatId));
      else blocked.add(String(chatId));
      return sendTelegramJson(res, 200, { ok: true });
    }
    if (route === 'POST /__control/reset') {
      messages.length = 0;
      requests.length = 0;
      faults.length = 0;
      blocked.clear();
      lastMessageId.clear();
      return sendTelegramJson(res, 200, { ok: true });
    }
    throw new ApiError(404, 'Not Found');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof ApiError) return sendApiError(res, err);
      if (err instanceof ControlError)
        return sendTelegramJson(res, err.status, { ok: false, error: err.message });
      sendApiError(res, new ApiError(500, 'Internal Server Error'));
    });
  });
  return { server, messages, requests };
}
