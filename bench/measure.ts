import { readFileSync } from 'node:fs';

/** The p-th percentile (0–100) of the samples, NaN when there are none. */
export const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]! : NaN;
};

/** Linux clock ticks a second (`getconf CLK_TCK`). */
export const TICKS_PER_S = 100;

/** utime + stime of a process, in clock ticks (its name may hold spaces and brackets). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
