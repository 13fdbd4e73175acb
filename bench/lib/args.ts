import { parseArgs } from 'node:util';

/** `--seconds` and `--clients`, the knobs every benchmark run accepts. */
export interface BenchArgs {
  seconds: number;
  clients: number;
}

export function parseBenchArgs(
  argv: string[],
  defaults: BenchArgs,
  usage: string,
): BenchArgs | { error: string } | { help: string } {
  let values: { seconds?: string; clients?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seconds: { type: 'string' },
        clients: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    return { error: `${err instanceof Error ? err.message : String(err)}\n${usage}` };
  }
  if (values.help) return { help: usage };
  const positive = (name: string, text: string | undefined, fallback: number, max: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new RangeError(`--${name} must be an integer from 1 to ${max}`);
    }
    return n;
  };
  try {
    return {
      seconds: positive('seconds', values.seconds, defaults.seconds, 3600),
      clients: positive('clients', values.clients, defaults.clients, 64),
    };
  } catch (err) {
    return { error: `${(err as Error).message}\n${usage}` };
  }
}
