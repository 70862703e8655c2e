import { readdirSync, readFileSync } from 'node:fs';

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

/** The parent pid of a process. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Every living process, by pid. */
export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** `root` and all its descendants now (a browser: its GPU, network and renderer processes). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    try {
      const parent = parentOf(pid);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** CPU of a process tree over `ms`, in % of one core (processes that exit meanwhile are lost). */
export async function treeCpuPercent(root: number, ms: number): Promise<number> {
  const read = () => {
    const ticks = new Map<number, number>();
    for (const pid of processTree(root)) {
      try {
        ticks.set(pid, cpuTicks(pid));
      } catch {
        // Gone meanwhile.
      }
    }
    return ticks;
  };
  const before = read();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const after = read();
  const seconds = (performance.now() - t0) / 1000;
  let used = 0;
  for (const [pid, t] of after) used += t - (before.get(pid) ?? 0);
  return (used / TICKS_PER_S / seconds) * 100;
}
