/**
 * A small internet inside the test's own network namespace, for tests of what crosses it: a
 * school whose devices sit behind its router's NAT (nftables masquerade), a cloud machine, a home
 * whose direct paths to the school are blocked, and a second home that has no UDP at all. The
 * test's namespace is the internet's core router (and an operator's seat: it reaches the cloud,
 * never the school's private network).
 *
 * Every namespace is held by a `sleep` process (`unshare -n`) and entered with `nsenter`, so
 * nothing is mounted on the machine and everything goes with those processes. Only run it inside
 * the private namespace the test runner makes (`LECTERN_NETNS`): it changes interfaces, routes
 * and firewall rules.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM } from './browser';

/** True when the test runs in the runner's private namespace as root, with nftables. */
export function canBuildInternet(): boolean {
  if (process.getuid?.() !== 0 || !process.env['LECTERN_NETNS']) return false;
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function sh(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
}

/** One machine (or router) of the test internet: its own network namespace. */
export class Host {
  private constructor(
    readonly name: string,
    private readonly holder: ChildProcess,
  ) {}

  static async start(name: string): Promise<Host> {
    const holder = spawn('unshare', ['-n', 'sleep', 'infinity'], { stdio: 'ignore' });
    const host = new Host(name, holder);
    // The namespace exists once `unshare` has exec'd `sleep` (its net namespace differs).
    const mine = sh(['readlink', '/proc/self/ns/net']).trim();
    for (let i = 0; i < 200; i++) {
      try {
        if (sh(['readlink', `/proc/${holder.pid}/ns/net`]).trim() !== mine) break;
      } catch {
        /* not there yet */
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    host.run('ip link set lo up');
    return host;
  }

  get pid(): number {
    return this.holder.pid!;
  }

  /** Prefix for a command that must run on this machine (`spawn(...wrap, cmd)`). */
  get wrap(): string[] {
    return ['nsenter', `--net=/proc/${this.pid}/ns/net`, '--'];
  }

  /** Runs a shell command on this machine; returns its output. */
  run(command: string): string {
    return sh([...this.wrap, 'sh', '-c', command]);
  }

  /** A Chromium that runs on this machine (Playwright's `executablePath`). */
  chromium(dir: string): string {
    const file = path.join(dir, `chromium-${this.name}`);
    writeFileSync(file, `#!/bin/sh\nexec ${this.wrap.join(' ')} ${CHROMIUM} "$@"\n`);
    chmodSync(file, 0o755);
    return file;
  }

  stop(): void {
    this.holder.kill('SIGKILL');
  }
}

let links = 0;

/** A cable: a veth pair from the core router (this namespace) to `host`. */
function cable(host: Host, coreAddress: string, hostAddress: string, prefix: number): string {
  const core = `tn${process.pid % 10000}x${links++}`;
  const far = `${core}h`;
  sh(['ip', 'link', 'add', core, 'type', 'veth', 'peer', 'name', far]);
  sh(['ip', 'link', 'set', far, 'netns', String(host.pid)]);
  sh(['ip', 'addr', 'add', `${coreAddress}/${prefix}`, 'dev', core]);
  sh(['ip', 'link', 'set', core, 'up']);
  host.run(
    `ip addr add ${hostAddress}/${prefix} dev ${far} && ip link set ${far} up && ` +
      `ip route add default via ${coreAddress}`,
  );
  return core;
}

/** Addresses of the test internet (documentation ranges: public-looking, routed nowhere). */
export const NET = {
  /** The cloud machine. */
  cloud: '203.0.113.10',
  /** The school router's one public address: every school device is seen as this. */
  schoolPublic: '192.0.2.2',
  /** The room host on the school's LAN. */
  school: '10.20.0.10',
  /** A home with a public address, whose direct paths to the school are blocked. */
  home: '198.51.100.10',
  /** A home whose network drops all UDP (TCP only). */
  homeNoUdp: '198.51.100.130',
} as const;

/**
 * The topology: school (10.20.0.10) — school router (NAT to 192.0.2.2) — core — cloud
 * (203.0.113.10), home (198.51.100.10), home without UDP (198.51.100.130).
 */
export class Internet {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-internet-'));
  private readonly table = `lectern${process.pid}`;

  private constructor(
    readonly school: Host,
    readonly schoolRouter: Host,
    readonly cloud: Host,
    readonly home: Host,
    readonly homeNoUdp: Host,
  ) {}

  static async build(): Promise<Internet> {
    const [school, schoolRouter, cloud, home, homeNoUdp] = await Promise.all(
      ['school', 'school-router', 'cloud', 'home', 'home-no-udp'].map((n) => Host.start(n)),
    );
    const net = new Internet(school!, schoolRouter!, cloud!, home!, homeNoUdp!);
    net.wire();
    return net;
  }

  private wire(): void {
    sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    cable(this.cloud, '203.0.113.1', NET.cloud, 24);
    cable(this.home, '198.51.100.1', NET.home, 25);
    cable(this.homeNoUdp, '198.51.100.129', NET.homeNoUdp, 25);
    cable(this.schoolRouter, '192.0.2.1', NET.schoolPublic, 24);
    // The school's LAN hangs off its router, which hides it behind one public address.
    const lan = `sl${process.pid % 10000}`;
    this.schoolRouter.run(
      `ip link add ${lan} type veth peer name ${lan}h && ip link set ${lan}h netns ${this.school.pid} && ` +
        `ip addr add 10.20.0.1/24 dev ${lan} && ip link set ${lan} up && ` +
        'sysctl -qw net.ipv4.ip_forward=1 && ' +
        `nft add table ip nat && nft 'add chain ip nat postnat { type nat hook postrouting priority 100; }' && ` +
        `nft add rule ip nat postnat ip saddr 10.20.0.0/24 oifname != ${lan} masquerade`,
    );
    this.school.run(
      `ip addr add ${NET.school}/24 dev ${lan}h && ip link set ${lan}h up && ` +
        'ip route add default via 10.20.0.1',
    );
    // The core's firewall: nothing direct between the school and the first home; no UDP to or
    // from the second home.
    const t = this.table;
    sh(['nft', 'add', 'table', 'ip', t]);
    sh(['nft', `add chain ip ${t} core { type filter hook forward priority 0; }`]);
    sh(['nft', `add rule ip ${t} core ip saddr ${NET.schoolPublic} ip daddr ${NET.home} drop`]);
    sh(['nft', `add rule ip ${t} core ip saddr ${NET.home} ip daddr ${NET.schoolPublic} drop`]);
    sh(['nft', `add rule ip ${t} core ip saddr ${NET.homeNoUdp} meta l4proto udp drop`]);
    sh(['nft', `add rule ip ${t} core ip daddr ${NET.homeNoUdp} meta l4proto udp drop`]);
  }

  /** Drops traffic to the cloud's TURN server (its port and relay ports): TURN is "down". */
  blockTurn(ports: { listen: number; relay: [number, number] }): void {
    const t = this.table;
    for (const proto of ['udp', 'tcp']) {
      sh([
        'nft',
        `add rule ip ${t} core ip daddr ${NET.cloud} ${proto} dport { ${ports.listen}, ${ports.relay[0]}-${ports.relay[1]} } drop comment "turn"`,
      ]);
    }
  }

  /** How many established TCP connections the cloud holds from `from` to its `port`. */
  cloudTcpFrom(from: string, port: number): number {
    const out = this.cloud.run(`ss -Htn state established '( sport = :${port} )'`);
    return out.split('\n').filter((l) => l.includes(` ${from}:`)).length;
  }

  close(): void {
    try {
      sh(['nft', 'delete', 'table', 'ip', this.table]);
    } catch {
      /* already gone */
    }
    for (const h of [this.school, this.schoolRouter, this.cloud, this.home, this.homeNoUdp]) {
      h.stop();
    }
    // Each cable's core end goes with its peer's namespace.
    rmSync(this.dir, { recursive: true, force: true });
  }
}
