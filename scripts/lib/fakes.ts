import type { ChildProcess } from 'node:child_process';

/**
 * Local fake integration services (iiko, YooKassa, SMS gateway, Telegram) for development.
 * Each later integration registers its fake here: start it as a child process and return the
 * env variables that point the app's real HTTP clients at it.
 */
export async function startFakes(
  _children: ChildProcess[],
  _log: (line: string) => void,
): Promise<Record<string, string>> {
  return {};
}
