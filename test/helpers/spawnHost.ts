import { spawnCli, type CliChild } from './spawnCli';

export interface HostChild extends CliChild {
  port: number;
  url: string;
  code: string;
  /** Printed on the first run only. */
  credential: string | null;
}

/**
 * The headless room host exactly as a person starts it (`local-ws/cli.ts`), on 127.0.0.1 with a
 * free port; resolves once it has printed its address and join code.
 */
export async function spawnHost(
  args: string[],
  opts: { sfu?: boolean; wrap?: string[] } = {},
): Promise<HostChild> {
  const cli = await spawnCli(
    'local-ws/cli.ts',
    ['--host', '127.0.0.1', '--port', '0', ...(opts.sfu ? [] : ['--no-sfu']), ...args],
    /Join code: \d{3} \d{3}/,
    { LECTERN_LOG: 'warn' },
    opts.wrap,
  );
  const port = Number(/Students \(view\): http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.printed)![1]);
  return {
    ...cli,
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    code: /Join code: (\d{3}) (\d{3})/.exec(cli.printed)!.slice(1).join(''),
    credential: /teacher credential is\s+(\S+)/.exec(cli.printed)?.[1] ?? null,
  };
}
