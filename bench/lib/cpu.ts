import fs from 'node:fs';

/**
 * CPU accounting for a measured window: the whole machine's busy time (from /proc/stat, Linux
 * only) and this process's own time. Their difference is what PostgreSQL (and anything else on
 * the host) spent, so a report can say where the CPU of one transaction went.
 */
export interface CpuSnapshot {
  /** Busy (non-idle, non-iowait) CPU time of all cores in ms; NaN where /proc/stat is missing. */
  machineMs: number;
  /** This process, user + system, in ms. */
  processMs: number;
}

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture Node supports. */
const TICK_MS = 10;

function machineBusyMs(): number {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal …
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const own = process.cpuUsage();
  return { machineMs: machineBusyMs(), processMs: (own.user + own.system) / 1000 };
}

/** CPU per transaction between two snapshots: this process, and the rest of the machine. */
export function cpuPer(
  from: CpuSnapshot,
  to: CpuSnapshot,
  transactions: number,
): { processMs: number; restMs: number } {
  const n = Math.max(1, transactions);
  const processMs = to.processMs - from.processMs;
  return {
    processMs: processMs / n,
    restMs: (to.machineMs - from.machineMs - processMs) / n,
  };
}
