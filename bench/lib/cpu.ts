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

/**
 * User + system CPU time of another process in ms, from /proc/<pid>/stat (Linux only; NaN when it
 * cannot be read), so a report can split the machine's time between a server child and the rest.
 */
export function processCpuMs(pid: number | undefined): number {
  const fields = pid === undefined ? null : statFields(pid);
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15
  return fields ? (Number(fields[11]) + Number(fields[12])) * TICK_MS : Number.NaN;
}

/** The fields of /proc/<pid>/stat after the command name (which may contain spaces), from field 3. */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The parent of a local process, or null (not on this machine, or no /proc). */
export function parentPid(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : null;
}

/**
 * CPU time in ms of a server and its children — for PostgreSQL the postmaster, every live backend
 * and auxiliary process, and (through the postmaster's cutime / cstime) the backends that already
 * exited. NaN when the process cannot be read.
 */
export function processTreeCpuMs(rootPid: number | null): number {
  if (rootPid === null) return Number.NaN;
  const root = statFields(rootPid);
  if (!root) return Number.NaN;
  // utime, stime, cutime, cstime are fields 14–17
  let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === rootPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}
