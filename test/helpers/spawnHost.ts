import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface HostChild {
  child: ChildProcess;
  port: number;
  url: string;
  code: string;
  /** Printed on the first run only. */
  credential: string | null;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The headless room host exactly as a person starts it (`local-ws/cli.ts`), on 127.0.0.1 with a
 * free port; resolves once it has printed its address and join code.
 */
export async function spawnHost(args: string[]): Promise<HostChild> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local-ws/cli.ts',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--no-sfu',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LECTERN_LOG: 'warn' } },
  );
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const rl = createInterface({ input: child.stdout! });
  const seen = await new Promise<string>((resolve, reject) => {
    let text = '';
    rl.on('line', (line) => {
      text += line + '\n';
      out += line + '\n';
      if (/Join code: \d{3} \d{3}/.test(line)) resolve(text);
    });
    child.once('exit', (c) => reject(new Error(`host exited ${c}: ${out}`)));
  });
  const port = Number(/Students and teachers: http:\/\/127\.0\.0\.1:(\d+)\//.exec(seen)![1]);
  const code = /Join code: (\d{3}) (\d{3})/.exec(seen)!.slice(1).join('');
  return {
    child,
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    code,
    credential: /teacher credential is\s+(\S+)/.exec(seen)?.[1] ?? null,
    output: () => out,
    async kill(signal) {
      child.kill(signal);
      await exited;
    },
  };
}
