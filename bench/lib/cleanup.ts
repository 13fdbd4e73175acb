/**
 * Teardown steps of a benchmark run (drop scratch databases, stop the embedded server), run in
 * reverse order of registration at the end of the run or on SIGINT / SIGTERM, each at most once.
 */
interface Step {
  label: string;
  run: () => Promise<void>;
}

const steps: Step[] = [];
let running: Promise<void> | null = null;
let interrupted = false;

/** True once SIGINT / SIGTERM arrived: failures after that are the interruption's, not bugs. */
export function isInterrupted(): boolean {
  return interrupted;
}

export function onCleanup(label: string, run: () => Promise<void>): () => void {
  const step = { label, run };
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i >= 0) steps.splice(i, 1);
  };
}

export function runCleanup(): Promise<void> {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop()!;
      try {
        await step.run();
      } catch (err) {
        process.stderr.write(
          `cleanup: could not ${step.label}: ${err instanceof Error ? err.message : String(err)}\n`,
        );
      }
    }
  })();
  return running;
}

/** Ctrl-C (or a TERM) cleans up, then exits with 128 + the signal number. */
export function cleanUpOnSignals(onSignal: () => void = () => {}): void {
  const handle = (signal: NodeJS.Signals, code: number) => {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping and cleaning up…\n`);
      onSignal();
      void runCleanup().finally(() => process.exit(code));
    });
  };
  handle('SIGINT', 130);
  handle('SIGTERM', 143);
}

/**
 * Runs a benchmark's main and exits with its code. A thrown error is printed, cleaned up after and
 * exits 1; after Ctrl-C the signal handler cleans up and exits, and whatever main was doing is
 * abandoned.
 */
export function runBench(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      if (!interrupted) process.exit(code);
    },
    async (err: unknown) => {
      if (interrupted) return;
      process.stderr.write(
        `bench:${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      await runCleanup();
      process.exit(1);
    },
  );
}
