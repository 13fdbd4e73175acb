import pino from 'pino';
import { sanitize } from './sanitize';

/**
 * Structured JSON logs on stdout. Every object passed to the logger goes through the sanitizer
 * (CF-7) so secrets, codes and phone numbers never reach the log stream.
 */
function level(): pino.LevelWithSilent {
  const value = process.env.LOG_LEVEL;
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (value && levels.includes(value)) return value as pino.LevelWithSilent;
  return process.env.NODE_ENV === 'test' ? 'warn' : 'info';
}

export const logger = pino({
  level: level(),
  base: { service: 'ctea' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: {
    level: (label) => ({ level: label }),
    log: (object) => sanitize(object) as Record<string, unknown>,
  },
  serializers: {
    // the `err` key is masked by name otherwise ("key"-less, but keep it structured)
    err: (err: unknown) => sanitize(err),
  },
});

export type Logger = pino.Logger;
