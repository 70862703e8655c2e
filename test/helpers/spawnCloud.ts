import { spawnCli, type CliChild } from './spawnCli';

export interface CloudChild extends CliChild {
  port: number;
  processId: string;
}

/** The cloud control server as an operator starts it (`cloud/cli.ts`), on 127.0.0.1. */
export async function spawnCloud(args: string[], adminToken: string): Promise<CloudChild> {
  const cli = await spawnCli(
    'cloud/cli.ts',
    ['--host', '127.0.0.1', '--port', '0', ...args],
    /Room links:/,
    { LECTERN_ADMIN_TOKEN: adminToken },
  );
  return {
    ...cli,
    port: Number(/Console:\s+http:\/\/[^:]+:(\d+)\//.exec(cli.printed)![1]),
    processId: /process (\w+)/.exec(cli.printed)![1]!,
  };
}
