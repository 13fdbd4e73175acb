import net from 'node:net';
import { z } from 'zod';

/**
 * The process environment, parsed once with zod. Every variable the code reads is declared here
 * and documented in `.env.example`; nothing else reads `process.env` directly (scripts that must
 * run before the environment is complete, such as the embedded PostgreSQL launcher, excepted).
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

const DEV_SESSION_SECRET = 'dev-only-session-secret-never-use-in-production-000';
const DEV_CODE_PEPPER = 'dev-only-code-pepper-never-use-in-production-000000';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL');

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// URL with a host');

/**
 * True when a CIDR entry (`a.b.c.d/n`, `x::y/n` or a bare address) covers any loopback address
 * (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104). Malformed entries cover nothing.
 */
export function coversLoopback(entry: string): boolean {
  const [address = '', bitsText] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0) return false;
  const max = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return false;
  const list = new net.BlockList();
  list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  // a range meets 127/8 iff it contains 127.0.0.0 (wider ranges) or starts inside it (narrower)
  const loopbackV4 = ['127.0.0.0', '127.0.0.1', '127.255.255.255'];
  if (family === 4)
    return loopbackV4.some((ip) => list.check(ip, 'ipv4')) || address.startsWith('127.');
  return (
    list.check('::1', 'ipv6') ||
    loopbackV4.some((ip) => list.check(`::ffff:${ip}`, 'ipv6')) ||
    /^::ffff:127\./i.test(address)
  );
}

const secret = z.string().refine((v) => Buffer.byteLength(v) >= 32, 'must be at least 32 bytes');

const cidrList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    PUBLIC_BASE_URL: httpUrl.optional(),

    DATABASE_URL: postgresUrl.optional(),
    DATABASE_SSL: z.string().optional(),
    DATABASE_SSL_REJECT_UNAUTHORIZED: z.string().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    /** Named (prepared) statements per connection (db/prepared-statements.ts); off for old poolers. */
    DATABASE_PREPARED_STATEMENTS: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    /** Read-only replica for the dashboard loaders (issue 8); unset → the primary. */
    DATABASE_REPLICA_URL: postgresUrl.optional(),

    SESSION_SECRET: secret.optional(),
    CODE_PEPPER: secret.optional(),
    STAFF_SESSION_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    STAFF_IDLE_MINUTES: z.coerce.number().int().min(5).max(720).default(60),

    YOOKASSA_SHOP_ID: z.string().optional(),
    YOOKASSA_SECRET_KEY: z.string().optional(),
    YOOKASSA_API_BASE_URL: httpUrl.optional(),
    YOOKASSA_NOTIFY_CIDRS: cidrList,
    YOOKASSA_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
    IIKO_API_BASE_URL: httpUrl.optional(),
    IIKO_API_LOGIN: z.string().optional(),
    IIKO_ORGANIZATION_ID: z.string().uuid().optional(),
    TELEGRAM_BOT_TOKEN: z.string().optional(),
    TELEGRAM_API_BASE_URL: httpUrl.optional(),
    TELEGRAM_WEBHOOK_SECRET: z.string().optional(),
    SMS_API_BASE_URL: httpUrl.optional(),
    SMS_API_KEY: z.string().optional(),
    SMS_SENDER: z.string().max(11).optional(),
    SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    TRUST_PROXY_CIDRS: cidrList,

    /** Rate limits shared by every instance (counted in PostgreSQL): requests per window. */
    RATE_LIMIT_STAFF_LOGIN_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(30),
    RATE_LIMIT_CODE_VERIFY_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(60),
    RATE_LIMIT_CHECKOUT_PER_MEMBER: z.coerce.number().int().min(1).max(1_000_000).default(20),
    RATE_LIMIT_CHECKOUT_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(120),

    /**
     * Pages the shared page cache keeps (ADR 0022); 0 turns it off. Defaults to 500 in
     * production and 0 elsewhere, so tests and development always see fresh pages.
     */
    PAGE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).optional(),
    /**
     * How long the dashboards reuse what they read for the same page and filter (ADR 0016);
     * 0 turns it off. Defaults to 5 000 in production and 0 elsewhere.
     */
    DASHBOARD_REUSE_MS: z.coerce.number().int().min(0).max(60_000).optional(),

    UPLOAD_DIR: z.string().default('uploads'),
    DISABLE_FAKES: flag,
    /** Job workers and periodic sweepers run inside the web process unless this is set. */
    DISABLE_IN_PROCESS_WORKERS: flag,
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    /** DA-3: how often alerts are evaluated (shorter in e2e runs). */
    ALERTS_EVALUATE_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** DA-4: when set, /metrics requires `Authorization: Bearer <token>`; unset → loopback only. */
    METRICS_TOKEN: z
      .string()
      .optional()
      .transform((v) => v?.trim() || undefined)
      .refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const required = ['DATABASE_URL', 'SESSION_SECRET', 'CODE_PEPPER', 'PUBLIC_BASE_URL'] as const;
    for (const key of required) {
      if (!env[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
    const integrationUrls = [
      'YOOKASSA_API_BASE_URL',
      'IIKO_API_BASE_URL',
      'TELEGRAM_API_BASE_URL',
      'SMS_API_BASE_URL',
    ] as const;
    for (const key of integrationUrls) {
      const value = env[key];
      if (value && LOOPBACK_HOSTS.has(new URL(value).hostname)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'must not point at loopback in production',
        });
      }
    }
    if (env.YOOKASSA_API_BASE_URL && !env.YOOKASSA_API_BASE_URL.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['YOOKASSA_API_BASE_URL'],
        message: 'must be https in production',
      });
    }
    // PY-11: the local fake notifies from loopback; a real deployment must never trust it
    if (env.YOOKASSA_NOTIFY_CIDRS.some(coversLoopback)) {
      ctx.addIssue({
        code: 'custom',
        path: ['YOOKASSA_NOTIFY_CIDRS'],
        message: 'must not include a loopback address in production',
      });
    }
  })
  .transform((env) => ({
    ...env,
    isProduction: env.NODE_ENV === 'production',
    PAGE_CACHE_ENTRIES: env.PAGE_CACHE_ENTRIES ?? (env.NODE_ENV === 'production' ? 500 : 0),
    DASHBOARD_REUSE_MS: env.DASHBOARD_REUSE_MS ?? (env.NODE_ENV === 'production' ? 5_000 : 0),
    SESSION_SECRET: env.SESSION_SECRET ?? DEV_SESSION_SECRET,
    CODE_PEPPER: env.CODE_PEPPER ?? DEV_CODE_PEPPER,
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`,
  }));

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid environment: ${variable} ${reason}`);
    this.name = 'EnvError';
  }
}

/** Parses an environment; throws EnvError naming the first bad variable (values are never echoed). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = issue.path.join('.') || 'environment';
  const reason =
    issue.code === 'invalid_value' ? `must be one of the allowed values` : issue.message;
  throw new EnvError(variable, reason);
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
