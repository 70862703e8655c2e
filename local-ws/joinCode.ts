import { randomInt } from 'node:crypto';

/** A uniformly random 6-digit join code that differs from every code in `avoid`. */
export function newJoinCode(avoid: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    if (!avoid.has(code)) return code;
  }
}
