/**
 * The cloud control server, one process:
 *   tsx cloud/cli.ts [--port 47900] [--host 0.0.0.0] [--data-dir DIR] [--redis redis://…]
 *                    [--records-dir DIR/records] [--records-quota-gb 50]
 *                    [--sfu-ip 0.0.0.0 --sfu-public-ip IP] [--sfu-ports 40000-49999]
 *                    [--sfu-workers N] [--sfu-worker-consumers 100]
 *                    [--tls-cert cert.pem --tls-key key.pem]
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
import type { CloudSfuOptions } from './sfu/CloudSfu';
import { Coturn } from './turn/Coturn';
import type { TurnOptions } from './turn/credentials';
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
    /** Start coturn on this address (this machine's), with TURN REST credentials per room. */
    'turn-ip': { type: 'string', default: process.env['LECTERN_TURN_IP'] },
    /** The address clients reach it by, behind 1:1 NAT. */
    'turn-public-ip': { type: 'string', default: process.env['LECTERN_TURN_PUBLIC_IP'] },
    /** Or a TURN server run elsewhere (comma-separated URLs; its secret in LECTERN_TURN_SECRET). */
    'turn-urls': { type: 'string', default: process.env['LECTERN_TURN_URLS'] },
    /** Run an SFU for remote participants, its RTP ports bound to this address. */
    'sfu-ip': { type: 'string', default: process.env['LECTERN_SFU_IP'] },
    /** The address remote browsers and room hosts reach it by (needed with 0.0.0.0). */
    'sfu-public-ip': { type: 'string', default: process.env['LECTERN_SFU_PUBLIC_IP'] },
    'sfu-ports': { type: 'string', default: process.env['LECTERN_SFU_PORTS'] ?? '40000-49999' },
    /** Workers at most (default: one per core), and consumers a worker takes before a class spills. */
    'sfu-workers': { type: 'string', default: process.env['LECTERN_SFU_WORKERS'] },
    'sfu-worker-consumers': {
      type: 'string',
      default: process.env['LECTERN_SFU_WORKER_CONSUMERS'],
    },
    'trust-proxy': { type: 'boolean', default: process.env['LECTERN_TRUST_PROXY'] === '1' },
    'presence-ttl-ms': { type: 'string', default: '15000' },
    'heartbeat-ms': { type: 'string', default: '10000' },
    'records-dir': { type: 'string', default: process.env['LECTERN_CLOUD_RECORDS'] },
    'records-quota-gb': { type: 'string', default: '50' },
    /** https and wss with this certificate and key (else http, e.g. behind a TLS proxy). */
    'tls-cert': { type: 'string', default: process.env['LECTERN_CLOUD_TLS_CERT'] },
    'tls-key': { type: 'string', default: process.env['LECTERN_CLOUD_TLS_KEY'] },
  },
});

/** A secret from the environment, or made once and kept (0600) in the data folder. */
function keptSecret(dir: string, name: string, env: string, prefix: string): string {
  const fromEnv = process.env[env];
  if (fromEnv) return fromEnv;
  const file = path.join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const token = `${prefix}${newId(32)}`;
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

/** The SFU for remote participants, when --sfu-ip says where it listens. */
function sfuOptions(): CloudSfuOptions | null {
  const ip = args['sfu-ip'];
  if (!ip) return null;
  const [min, max] = (args['sfu-ports'] ?? '').split('-').map(Number);
  if (!min || !max || min > max) throw new Error('--sfu-ports wants MIN-MAX, e.g. 40000-49999');
  const announced = args['sfu-public-ip'];
  if (ip === '0.0.0.0' && !announced) throw new Error('--sfu-ip 0.0.0.0 needs --sfu-public-ip');
  const count = (name: 'sfu-workers' | 'sfu-worker-consumers') => {
    const v = args[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number ≥ 1`);
    return n;
  };
  const workers = count('sfu-workers');
  const spillAt = count('sfu-worker-consumers');
  return {
    listenIp: ip,
    ...(announced && { announcedIp: announced }),
    rtcMinPort: min,
    rtcMaxPort: max,
    ...(workers !== undefined && { workers }),
    ...(spillAt !== undefined && { spillAt }),
  };
}

/** The certificate and key, when both are given. */
function tlsOptions(): { cert: string; key: string } | null {
  const { 'tls-cert': cert, 'tls-key': key } = args;
  if (!cert && !key) return null;
  if (!cert || !key) throw new Error('--tls-cert and --tls-key go together');
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const adminToken = (dir: string) => keptSecret(dir, 'admin-token', 'LECTERN_ADMIN_TOKEN', 'adm_');

/** coturn started here, or one elsewhere, or none (remote participants' media stays off). */
async function startTurn(
  dir: string,
): Promise<{ turn: TurnOptions; coturn: Coturn | null } | null> {
  const secret = keptSecret(dir, 'turn-secret', 'LECTERN_TURN_SECRET', '');
  if (args['turn-urls']) {
    return { turn: { urls: args['turn-urls'].split(','), secret }, coturn: null };
  }
  if (!args['turn-ip']) return null;
  const coturn = new Coturn({
    ip: args['turn-ip'],
    ...(args['turn-public-ip'] && { publicIp: args['turn-public-ip'] }),
    secret,
    dir: path.join(dir, 'turn'),
  });
  await coturn.start();
  return { turn: { urls: coturn.urls, secret }, coturn };
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
  const turn = await startTurn(dir);
  const recordsDir = args['records-dir'] ?? path.join(dir, 'records');
  const sfu = sfuOptions();
  const tls = tlsOptions();
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
    ...(turn && { turn: turn.turn }),
    ...(sfu && { sfu }),
    ...(tls && { tls }),
  });
  const port = await cloud.listen();
  const shown = args.host === '0.0.0.0' ? 'localhost' : args.host;
  const [http, ws] = tls ? ['https', 'wss'] : ['http', 'ws'];
  console.log(`Lectern cloud control server (process ${store.processId})`);
  console.log(`  Console:      ${http}://${shown}:${port}/`);
  console.log(`  Admin token:  ${token}`);
  console.log(`  Room links:   ${ws}://${shown}:${port}/link`);
  console.log(`  Remote join:  ${http}://${shown}:${port}/join/ (remote links from the console)`);
  console.log(
    `  TURN:         ${turn ? turn.turn.urls.join(' ') : 'none (--turn-ip to start coturn)'}`,
  );
  console.log(
    `  SFU:          ${sfu ? `${sfu.announcedIp ?? sfu.listenIp} ports ${args['sfu-ports']}, up to ${cloud.sfu?.pool.size} workers` : 'none (--sfu-ip to run one for remote participants)'}`,
  );
  console.log(`  Metrics:      ${http}://${shown}:${port}/metrics (Prometheus; the admin token)`);
  console.log(`  Records:      ${recordsDir} (uploads at ${http}://${shown}:${port}/uploads)`);
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
      .then(() => turn?.coturn?.stop())
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
