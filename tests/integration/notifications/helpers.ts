import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.generated';
import { spawnFake, type RunningFake } from '../../../scripts/fakes/spawn';
import {
  createTelegramClient,
  type TelegramClient,
} from '~/integrations/telegram/telegram-client.server';
import { createNotification, type Overrides, type Row } from '../../factories';

export const BOT_TOKEN = '123456:fake-token';

export interface FakeMessage {
  message_id: number;
  chat_id: number | string;
  raw_text: string;
  text: string;
  entities: { type: string; offset: number; length: number; url?: string }[];
  parse_mode: string | null;
  date: number;
}

export interface FakeRequest {
  chat_id: number | string;
  status: number;
  at: string;
}

/** The fake Bot API process, a client pointed at it, and its control API. */
export interface FakeTelegram {
  fake: RunningFake;
  url: string;
  client: TelegramClient;
  control: ReturnType<typeof controlApi>;
  stop(): Promise<void>;
}

function controlApi(url: string) {
  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    messages: async (chatId?: string | number) => {
      const query = chatId === undefined ? '' : `?chat_id=${encodeURIComponent(String(chatId))}`;
      const res = await fetch(`${url}/__control/messages${query}`);
      return ((await res.json()) as { messages: FakeMessage[] }).messages;
    },
    requests: async (chatId?: string | number) => {
      const res = await fetch(`${url}/__control/requests`);
      const all = ((await res.json()) as { requests: FakeRequest[] }).requests;
      return chatId === undefined ? all : all.filter((r) => String(r.chat_id) === String(chatId));
    },
    fail: (fault: {
      count?: number;
      status: number;
      retry_after?: number;
      chat_id?: string | number;
      description?: string;
      delay_ms?: number;
    }) => post('/__control/fail', fault),
    block: (chatId: string | number, blocked = true) =>
      post('/__control/block', { chat_id: chatId, blocked }),
    reset: () => post('/__control/reset'),
  };
}

export async function startFakeTelegram(
  options: { timeoutMs?: number } = {},
): Promise<FakeTelegram> {
  const fake = await spawnFake('telegram', { token: BOT_TOKEN });
  return {
    fake,
    url: fake.url,
    client: createTelegramClient({
      baseUrl: fake.url,
      token: BOT_TOKEN,
      timeoutMs: options.timeoutMs ?? 5_000,
    }),
    control: controlApi(fake.url),
    stop: () => fake.stop(),
  };
}

export interface NotificationState {
  id: number;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  sent_at: Date | null;
  provider_message_id: string | null;
  last_error: string | null;
}

export async function notificationState(db: Kysely<DB>, id: number): Promise<NotificationState> {
  return db
    .selectFrom('notification')
    .select([
      'id',
      'status',
      'attempts',
      'next_attempt_at',
      'sent_at',
      'provider_message_id',
      'last_error',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A PENDING message to `chatId`, due now (an ALERT to an admin chat unless overridden). */
export function queueMessage(
  db: Kysely<DB>,
  chatId: string | number,
  overrides: Overrides<'notification'> = {},
): Promise<Row<'notification'>> {
  return createNotification(db, { chat_id: String(chatId), ...overrides });
}

export const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);
export const SECOND = 1_000;
export const MINUTE = 60_000;
