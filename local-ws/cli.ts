/**
 * Headless room host: the relay plus the browser client on one port, no Electron needed.
 *   tsx local-ws/cli.ts [--port 47800] [--host 0.0.0.0] [--room "Room 101"] [--data-dir DIR]
 *     [--tls-cert FILE --tls-key FILE | --no-tls] [--record-min-free-mb 1024] [--upload-mbps 8]
 * http and https share the port: phones view over http, sharing and teaching go through https.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { joinLink } from '../protocol/joinLink';
import { DEFAULT_PORT } from './config';
import { defaultDataDir } from './hostConfig';
import { lanAddresses, sfuOptionsFor } from './lan';
import { RoomHost } from './RoomHost';
import { isLoopback } from './security/transport';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['LECTERN_PORT'] ?? String(DEFAULT_PORT) },
    host: { type: 'string', default: process.env['LECTERN_HOST'] ?? '0.0.0.0' },
    room: { type: 'string', default: process.env['LECTERN_ROOM'] ?? 'Lectern room' },
    'data-dir': { type: 'string', default: process.env['LECTERN_DATA_DIR'] ?? defaultDataDir() },
    'no-sfu': { type: 'boolean', default: false },
    /** The cloud control server's link address and this room's credential (from its console). */
    cloud: { type: 'string', default: process.env['LECTERN_CLOUD_URL'] },
    'cloud-room': { type: 'string', default: process.env['LECTERN_CLOUD_ROOM'] },
    'cloud-token': { type: 'string', default: process.env['LECTERN_CLOUD_TOKEN'] },
    'cloud-chat': { type: 'boolean', default: false },
    /** Other names devices use to reach this host (comma-separated), e.g. a school's DNS name. */
    'host-names': { type: 'string', default: process.env['LECTERN_HOST_NAMES'] ?? '' },
    'web-dir': { type: 'string', default: path.resolve(import.meta.dirname, '../out/web') },
    /** A school's own certificate (PEM chain) and key instead of the room's own CA. */
    'tls-cert': { type: 'string', default: process.env['LECTERN_TLS_CERT'] },
    'tls-key': { type: 'string', default: process.env['LECTERN_TLS_KEY'] },
    /** Plain http only: then only this machine may share, speak or teach. */
    'no-tls': { type: 'boolean', default: false },
    /** Below this much free disk (MB) recording does not start, and stops if it runs. */
    'record-min-free-mb': { type: 'string', default: process.env['LECTERN_RECORD_MIN_FREE_MB'] },
    /** Records go to the cloud at most this fast (Mbit/s) while a class is on. */
    'upload-mbps': { type: 'string', default: process.env['LECTERN_UPLOAD_MBPS'] },
  },
});

function tlsOption(): { tls?: false | { certFile: string; keyFile: string } } {
  if (args['no-tls']) return { tls: false };
  const { 'tls-cert': certFile, 'tls-key': keyFile } = args;
  if (!certFile && !keyFile) return {};
  if (!certFile || !keyFile) throw new Error('--tls-cert and --tls-key go together');
  return { tls: { certFile, keyFile } };
}

/** The cloud link settings, when all three are given. */
function cloudOptions(): { url: string; roomId: string; token: string; chat: boolean } | null {
  const { cloud: url, 'cloud-room': roomId, 'cloud-token': token } = args;
  if (!url && !roomId && !token) return null;
  if (!url || !roomId || !token) {
    throw new Error('--cloud, --cloud-room and --cloud-token go together (see the cloud console)');
  }
  return { url, roomId, token, chat: args['cloud-chat'] };
}

/** The recorder's free-disk floor and class upload rate, when given (else the host's defaults). */
function recordOptions(): { record?: { minFreeBytes?: number; uploadBytesPerSecond?: number } } {
  const record: { minFreeBytes?: number; uploadBytesPerSecond?: number } = {};
  const free = args['record-min-free-mb'];
  if (free !== undefined) {
    const mb = Number(free);
    if (!Number.isFinite(mb) || mb < 0) {
      throw new Error('--record-min-free-mb takes a number of MB');
    }
    record.minFreeBytes = mb * 1024 ** 2;
  }
  const rate = args['upload-mbps'];
  if (rate !== undefined) {
    const mbps = Number(rate);
    if (!Number.isFinite(mbps) || mbps <= 0) throw new Error('--upload-mbps takes Mbit/s (> 0)');
    record.uploadBytesPerSecond = (mbps * 1e6) / 8;
  }
  return Object.keys(record).length > 0 ? { record } : {};
}

async function main(): Promise<void> {
  const cloud = cloudOptions();
  if (!existsSync(path.join(args['web-dir'], 'index.html'))) {
    console.warn(
      `! no browser client in ${args['web-dir']} (run npm run build:web); serving the relay only`,
    );
  }
  const hosts = args.host === '0.0.0.0' ? [...lanAddresses(), 'localhost'] : [args.host];
  const host = new RoomHost({
    dataDir: args['data-dir'],
    roomName: args.room,
    staticDir: args['web-dir'],
    host: args.host,
    port: Number(args.port),
    publicHost: hosts[0]!,
    hostNames: args['host-names']
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    ...(!args['no-sfu'] && { sfu: sfuOptionsFor(args.host) }),
    ...(cloud && { cloud }),
    ...tlsOption(),
    ...recordOptions(),
  });
  const {
    room,
    port,
    sfu,
    newCredential,
    configFile: file,
    tls,
  } = await host.start((c) => {
    void show(
      c.code,
      c.reason === 'bruteForce' ? 'Too many wrong codes: new code.' : 'New class: new code.',
    );
  });
  const urls = hosts.map((h) => `http://${h}:${port}/`);
  const secureUrls = tls ? hosts.map((h) => `https://${h}:${port}/`) : [];
  // The QR code opens the http page (no certificate warning on a phone) and carries the pin,
  // so the page's way to https, and the desktop app, can check the host they reach.
  const joinUrl = (code: string) => joinLink(urls[0]!, code, tls?.pin);
  const show = async (code: string, why: string) => {
    console.log(`\n${why}  Join code: ${code.slice(0, 3)} ${code.slice(3)}\n`);
    console.log(await QRCode.toString(joinUrl(code), { type: 'terminal', small: true }));
    console.log(`  Scan or open ${joinUrl(code)}`);
  };

  console.log(`Lectern room host — "${room.name}"`);
  console.log(
    sfu
      ? '  Fan-out to students: SFU (mediasoup) on this host'
      : '  Fan-out to students: P2P from the teacher (no SFU here)',
  );
  for (const url of urls) console.log(`  Students (view): ${url}`);
  for (const url of secureUrls) console.log(`  Teachers, sharing, voices: ${url}`);
  if (tls) {
    console.log(`  Room key ${tls.shortPin}  (pin sha256/${tls.pin})`);
    if (tls.caPath) {
      console.log(
        `  Room CA for browsers (removes the certificate warning): ${urls[0]}${tls.caPath.slice(1)}`,
      );
    }
  } else {
    console.log('  No TLS (--no-tls): only this machine may share, speak or teach.');
  }
  if (cloud) console.log(`  Cloud control server: ${cloud.url} (room ${cloud.roomId})`);
  // The big screen of this machine: loopback is trusted as it is; any other address needs https.
  const local = hosts[hosts.length - 1]!;
  const screenBase =
    local === 'localhost' || isLoopback(local) || !tls ? urls[urls.length - 1] : secureUrls.at(-1);
  console.log(`  Room screen (this machine's big screen): ${screenBase}?screen=${room.screenKey}`);
  if (newCredential) {
    console.log(`\n  First run: the teacher credential is  ${newCredential}`);
    console.log(`  It is shown once; only its hash is kept in ${file}.`);
  } else {
    console.log(`  Teacher credential: the one set on first run (hash in ${file}).`);
  }
  await show(room.code, 'Class open.');

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nShutting down: telling clients…');
    void host.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
