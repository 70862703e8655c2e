import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CloudChild {
  child: ChildProcess;
  port: number;
  processId: string;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** The cloud control server as an operator starts it (`cloud/cli.ts`), on 127.0.0.1. */
export async function spawnCloud(args: string[], adminToken: string): Promise<CloudChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'cloud/cli.ts', '--host', '127.0.0.1', '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LECTERN_ADMIN_TOKEN: adminToken } },
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
      if (line.includes('Room links:')) resolve(text);
    });
    child.once('exit', (c) => reject(new Error(`cloud exited ${c}: ${out}`)));
  });
  return {
    child,
    port: Number(/Console:\s+http:\/\/[^:]+:(\d+)\//.exec(seen)![1]),
    processId: /process (\w+)/.exec(seen)![1]!,
    output: () => out,
    async kill(signal) {
      child.kill(signal);
      await exited;
    },
  };
}
