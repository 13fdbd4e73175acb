/** Output helpers shared by the benchmarks: aligned tables and the final RATIO line. */

/** The p-th percentile (0–100) of ascending values, nearest-rank; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

export function ms(value: number): string {
  return `${fixed(value, 1)} ms`;
}

/** Two columns, labels padded to the longest one. */
export function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

/** The machine-readable last line every benchmark ends with (`<=` when lower is better). */
export function ratioLine(
  name: string,
  ratio: number,
  goal: number,
  direction: '>=' | '<=' = '>=',
): string {
  return `RATIO ${name} ${fixed(ratio, 3)} goal ${direction} ${goal.toFixed(2)}`;
}

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and diagnostics go to stderr, so stdout is only the report. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}
