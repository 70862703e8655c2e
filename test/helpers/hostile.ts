import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TestClient } from './TestClient';

const CANARY = fileURLToPath(new URL('./canary.ts', import.meta.url));

export interface CanaryReport {
  pings: number[];
  chats: number[];
  lost: number;
  closed: number | null;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? 0;
};

/** A well-behaved student in its own process; `stop()` ends it and returns what it measured. */
export async function startCanary(url: string, code: string, name = 'Canary') {
  const child = spawn(process.execPath, ['--import', 'tsx', CANARY, url, code, name], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ready = JSON.parse((await lines.next()).value as string) as { peerId: string };
  return {
    peerId: ready.peerId,
    async stop(): Promise<CanaryReport> {
      child.stdin.end();
      return JSON.parse((await lines.next()).value as string) as CanaryReport;
    },
  };
}

/** The canary was not slowed or dropped: chat round trips and pings p99 < 50 ms. */
export function assertUnharmed(report: CanaryReport, what: string): void {
  const summary = `${what}: canary ping p99 ${pct(report.pings, 99).toFixed(1)} ms over ${report.pings.length}, chat max ${Math.max(0, ...report.chats).toFixed(1)} ms over ${report.chats.length}, lost ${report.lost}, closed ${report.closed}`;
  console.log(summary);
  assert.equal(report.closed, null, `${summary}: the canary was disconnected`);
  assert.equal(report.lost, 0, `${summary}: the canary lost requests`);
  assert.ok(report.pings.length > 20, `${summary}: too few samples`);
  assert.ok(pct(report.pings, 99) < 50, summary);
  assert.ok(report.chats.length > 0 && pct(report.chats, 99) < 50, summary);
}

/** A client from another loopback address (127.0.0.N: every 127/8 address is this host). */
export function connectFrom(url: string, n: number): Promise<TestClient> {
  return TestClient.connect(url, { localAddress: `127.0.0.${n}` });
}

export const percentile = pct;
