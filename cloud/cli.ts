/**
 * The cloud control server, one process:
 *   tsx cloud/cli.ts [--port 47900] [--host 0.0.0.0] [--data-dir DIR] [--redis redis://…]
 *                    [--records-dir DIR/records] [--records-quota-gb 50]
 * Without --redis it runs alone with an embedded store (room credentials kept in DIR). With
 * --redis, run as many as you like behind a load balancer. The admin token comes from
 * LECTERN_ADMIN_TOKEN, or is made on first start and kept (0600) in DIR. Class records that
 * hosts upload are kept in the records folder (with --redis: a folder every process shares).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CloudServer } from './CloudServer';
import { newId } from './ids';
import type { CloudStore } from './store/CloudStore';
import { MemoryStore } from './store/MemoryStore';
import { RedisStore } from './store/RedisStore';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['LECTERN_CLOUD_PORT'] ?? '47900' },
    host: { type: 'string', default: process.env['LECTERN_CLOUD_HOST'] ?? '0.0.0.0' },
    'data-dir': {
      type: 'string',
      default: process.env['LECTERN_CLOUD_DATA'] ?? path.join(os.homedir(), '.lectern-cloud'),
    },
    redis: { type: 'string', default: process.env['LECTERN_REDIS_URL'] },
    'console-dir': { type: 'string', default: path.resolve(import.meta.dirname, '../out/console') },
    'web-dir': { type: 'string', default: path.resolve(import.meta.dirname, '../out/web') },
    'trust-proxy': { type: 'boolean', default: process.env['LECTERN_TRUST_PROXY'] === '1' },
    'presence-ttl-ms': { type: 'string', default: '15000' },
    'heartbeat-ms': { type: 'string', default: '10000' },
    'records-dir': { type: 'string', default: process.env['LECTERN_CLOUD_RECORDS'] },
    'records-quota-gb': { type: 'string', default: '50' },
  },
});

/** The operators' token: from the environment, or made once and kept in the data folder. */
function adminToken(dir: string): string {
  const fromEnv = process.env['LECTERN_ADMIN_TOKEN'];
  if (fromEnv) return fromEnv;
  const file = path.join(dir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const token = `adm_${newId(32)}`;
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

async function main(): Promise<void> {
  const dir = args['data-dir'];
  let store: CloudStore;
  if (args.redis) {
    const redis = new RedisStore({
      url: args.redis,
      presenceTtlMs: Number(args['presence-ttl-ms']),
    });
    await redis.ready();
    store = redis;
  } else {
    store = new MemoryStore(dir);
  }
  const token = adminToken(dir);
  const recordsDir = args['records-dir'] ?? path.join(dir, 'records');
  const cloud = new CloudServer({
    host: args.host,
    port: Number(args.port),
    adminToken: token,
    store,
    heartbeatMs: Number(args['heartbeat-ms']),
    records: { dir: recordsDir, quotaBytes: Number(args['records-quota-gb']) * 1024 ** 3 },
    ...(existsSync(path.join(args['console-dir'], 'index.html')) && {
      consoleDir: args['console-dir'],
    }),
    ...(existsSync(path.join(args['web-dir'], 'index.html')) && { webDir: args['web-dir'] }),
    ...(args['trust-proxy'] && { trustProxy: true }),
  });
  const port = await cloud.listen();
  const shown = args.host === '0.0.0.0' ? 'localhost' : args.host;
  console.log(`Lectern cloud control server (process ${store.processId})`);
  console.log(`  Console:      http://${shown}:${port}/`);
  console.log(`  Admin token:  ${token}`);
  console.log(`  Room links:   ws://${shown}:${port}/link`);
  console.log(`  Remote join:  http://${shown}:${port}/join/ (remote links from the console)`);
  console.log(`  Metrics:      http://${shown}:${port}/metrics (Prometheus; the admin token)`);
  console.log(`  Records:      ${recordsDir} (uploads at http://${shown}:${port}/uploads)`);
  console.log(
    args.redis
      ? `  Scale-out:    Redis at ${args.redis}`
      : '  Store:        embedded (one process, no Redis)',
  );
  console.log('  Add a room in the console; it shows the command that links a room host.');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void cloud
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
