import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CliChild {
  child: ChildProcess;
  /** Standard output up to the ready line. */
  printed: string;
  /** Everything printed so far (stdout and stderr). */
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts one of the project's command lines under tsx; resolves once a line matches `ready`. */
export async function spawnCli(
  script: string,
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
  /** A command that runs node (`unshare -m sh -c '…; exec "$0" "$@"'`): its pid is the wrapper's. */
  wrap: string[] = [],
): Promise<CliChild> {
  const command = [...wrap, process.execPath, '--import', 'tsx', script, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const printed = await new Promise<string>((resolve, reject) => {
    let text = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      text += line + '\n';
      out += line + '\n';
      if (ready.test(line)) resolve(text);
    });
    child.once('exit', (c) => reject(new Error(`${script} exited ${c}: ${out}`)));
  });
  return {
    child,
    printed,
    output: () => out,
    async kill(signal) {
      child.kill(signal);
      await exited;
    },
  };
}
