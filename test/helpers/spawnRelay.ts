import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RelayLimits } from '../../local-ws';

export interface RelayChild {
  child: ChildProcess;
  port: number;
  url: string;
  rooms: { code: string; screenKey: string }[];
  stderr: () => string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const script = fileURLToPath(new URL('./relayProcess.ts', import.meta.url));

/** Starts the relay in a child process (optionally pinned to a CPU with taskset). */
export async function spawnRelay(
  limits: Partial<RelayLimits>,
  options: { cpu?: number; teacher?: string } = {},
): Promise<RelayChild> {
  const args = ['--import', 'tsx', script];
  const env = {
    ...process.env,
    LECTERN_LIMITS: JSON.stringify(limits),
    LECTERN_TEACHER: options.teacher ?? 'teacher',
  };
  const child =
    options.cpu === undefined
      ? spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('taskset', ['-c', String(options.cpu), process.execPath, ...args], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`relay exited ${code}: ${err}`)));
  });
  const info = JSON.parse(line) as { port: number; rooms: { code: string; screenKey: string }[] };
  return {
    child,
    port: info.port,
    url: `ws://127.0.0.1:${info.port}/ws`,
    rooms: info.rooms,
    stderr: () => err,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
