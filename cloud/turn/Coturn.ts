import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { createLogger } from '../../server-kit/log';

const log = createLogger('turn');

export interface CoturnOptions {
  /** Where coturn listens and relays from (the cloud machine's address). */
  ip: string;
  /** The address clients see, when the machine is behind 1:1 NAT (coturn's external-ip). */
  publicIp?: string;
  port?: number;
  /** TURN over TLS (turns:) on this port, with this certificate and key (PEM files). */
  tls?: { port: number; cert: string; key: string };
  secret: string;
  realm?: string;
  /** Relay ports (UDP), inclusive. */
  relayPorts?: [number, number];
  /** Peers that may be relayed to although private (test networks); the rest are refused. */
  allowPeers?: string[];
  /** The config file goes here. */
  dir: string;
  binary?: string;
}

/**
 * Private, loopback, link-local and multicast peers are never relayed to: a TURN server that
 * relays into its own network is a way in for anyone with a credential.
 */
const DENIED_PEERS = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '240.0.0.0-255.255.255.255',
  '::1',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

/** coturn's configuration for the cloud: TURN REST credentials only, no CLI, bounded quotas. */
export function coturnConfig(o: CoturnOptions): string {
  const [min, max] = o.relayPorts ?? [49160, 49999];
  return [
    `listening-ip=${o.ip}`,
    `relay-ip=${o.ip}`,
    ...(o.publicIp ? [`external-ip=${o.publicIp}/${o.ip}`] : []),
    `listening-port=${o.port ?? 3478}`,
    ...(o.tls
      ? [
          `tls-listening-port=${o.tls.port}`,
          `cert=${o.tls.cert}`,
          `pkey=${o.tls.key}`,
          'no-tlsv1',
          'no-tlsv1_1',
        ]
      : ['no-tls', 'no-dtls']),
    `min-port=${min}`,
    `max-port=${max}`,
    'use-auth-secret',
    `static-auth-secret=${o.secret}`,
    `realm=${o.realm ?? 'lectern'}`,
    'fingerprint',
    'stale-nonce=600',
    'user-quota=16',
    'total-quota=2000',
    'no-cli',
    'no-multicast-peers',
    'no-software-attribute',
    'no-rfc5780',
    'no-stun-backward-compatibility',
    ...(o.allowPeers ?? []).map((p) => `allowed-peer-ip=${p}`),
    // coturn refuses loopback peers unless told: only a test's own loopback peers need it.
    ...((o.allowPeers ?? []).some((p) => p.startsWith('127.')) ? ['allow-loopback-peers'] : []),
    ...DENIED_PEERS.map((p) => `denied-peer-ip=${p}`),
    'simple-log',
    'log-file=stdout',
    '',
  ].join('\n');
}

/** A coturn process the cloud starts and stops with itself. */
export class Coturn {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(private readonly opts: CoturnOptions) {}

  /** The URLs clients use: UDP, TCP (for networks that block UDP), and TLS when configured. */
  get urls(): string[] {
    const host = this.opts.publicIp ?? this.opts.ip;
    const port = this.opts.port ?? 3478;
    return [
      `turn:${host}:${port}?transport=udp`,
      `turn:${host}:${port}?transport=tcp`,
      ...(this.opts.tls ? [`turns:${host}:${this.opts.tls.port}?transport=tcp`] : []),
    ];
  }

  /** Starts coturn; resolves once it accepts TCP on its port. */
  async start(timeoutMs = 10_000): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true });
    const conf = path.join(this.opts.dir, 'turnserver.conf');
    writeFileSync(conf, coturnConfig(this.opts), { mode: 0o600 });
    const child = spawn(this.opts.binary ?? 'turnserver', ['-c', conf], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`turnserver exited ${code}: ${this.output}`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const up = await Promise.race([accepts(this.opts.ip, this.opts.port ?? 3478), exited]);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`turnserver did not start: ${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    log.info(`TURN on ${this.urls.join(' ')}`);
  }

  /** What coturn printed (its log). */
  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
