import type { ChildProcess } from 'node:child_process';
import { FAKE_IIKO_ORGANIZATION_ID } from '../fakes/iiko/catalog';
import { spawnFake, type RunningFake } from '../fakes/spawn';

/** Bot API tokens look like `<bot id>:<secret>`; the fake accepts only this one. */
const FAKE_TELEGRAM_BOT_TOKEN = '123456:fake-token';
const FAKE_IIKO_API_LOGIN = 'fake-iiko-login';

/**
 * Local fake integration services for development (and the e2e server): each is its own process
 * speaking the real protocol (scripts/fakes/<name>). Returns the env variables that point the
 * app's real HTTP clients at them; the caller passes them to the server process.
 */
export async function startFakes(
  children: ChildProcess[],
  log: (line: string) => void,
  { appPort }: { appPort: number },
): Promise<Record<string, string>> {
  const running: RunningFake[] = [];
  const started = async (
    name: Parameters<typeof spawnFake>[0],
    options?: Record<string, string | number>,
  ) => {
    const fake = await spawnFake(name, options);
    children.push(fake.child);
    running.push(fake);
    log(`fake ${name}: ${fake.url}`);
    return fake;
  };

  const sms = await started('sms');
  const yookassa = await started('yookassa', {
    'notify-url': `http://127.0.0.1:${appPort}/webhooks/yookassa`,
  });
  const telegram = await started('telegram', { token: FAKE_TELEGRAM_BOT_TOKEN });
  const iiko = await started('iiko', { 'api-login': FAKE_IIKO_API_LOGIN });

  return {
    SMS_API_BASE_URL: sms.url,
    SMS_API_KEY: 'fake-sms-key',
    YOOKASSA_API_BASE_URL: yookassa.url,
    YOOKASSA_SHOP_ID: '100500',
    YOOKASSA_SECRET_KEY: 'test_fake_secret_key',
    // the fake sends its notifications from loopback
    YOOKASSA_NOTIFY_CIDRS: '127.0.0.1/32,::1/128',
    TELEGRAM_API_BASE_URL: telegram.url,
    TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_BOT_TOKEN,
    IIKO_API_BASE_URL: iiko.url,
    IIKO_API_LOGIN: FAKE_IIKO_API_LOGIN,
    // the fake serves the demo seed's organisation (scripts/fakes/iiko/catalog.ts)
    IIKO_ORGANIZATION_ID: FAKE_IIKO_ORGANIZATION_ID,
  };
}
