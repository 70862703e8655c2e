/**
 * The room host's TLS identity, kept in `<dataDir>/tls/` (files 0600): its own CA and a server
 * certificate for the names and addresses devices use, reissued when they change or near expiry,
 * always for the same server key — so the room's pin survives every reissue. A school's own
 * certificate and key replace all of it.
 */
import { promises as fs } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { createLogger } from '../../server-kit/log';
import { keyPin, spkiPin } from '../../server-kit/tlsPin';
import { caPermits, createCa, issueServerCert, newKey, type IssuedCert } from './issue';

const log = createLogger('tls');
/** A server certificate this close to its end is reissued at start. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

export interface RoomTlsOptions {
  dataDir: string;
  roomName: string;
  /** DNS names and IP addresses the certificate must cover. */
  names: readonly string[];
  /** A school's own certificate (PEM, chain allowed) and key files, instead of the room's CA. */
  certFile?: string;
  keyFile?: string;
  now?: Date;
}

export interface RoomTls {
  /** Server certificate, then the CA's: what the TLS server sends. */
  cert: string;
  key: string;
  /** The room CA's certificate that browsers may install; null with a school's certificate. */
  ca: string | null;
  /** Base64 SHA-256 of the server key's SPKI. */
  pin: string;
  names: string[];
  notAfter: Date;
  /** Whether this load issued a new server certificate. */
  reissued: boolean;
}

async function readOrNull(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
}

const write = (file: string, text: string) => fs.writeFile(file, text, { mode: 0o600 });

/** Whether the certificate is signed by `ca`, covers every name and is not near its end. */
function stillGood(certPem: string, caPem: string, names: readonly string[], now: Date): boolean {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  if (!cert.verify(ca.publicKey)) return false;
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
  return names.every((n) =>
    isIP(n) === 0
      ? cert.checkHost(n, { wildcards: false }) !== undefined
      : cert.checkIP(n) !== undefined,
  );
}

/** The room's TLS identity: loaded, completed or (re)issued as needed. */
export async function loadRoomTls(opts: RoomTlsOptions): Promise<RoomTls> {
  if (opts.certFile || opts.keyFile) return loadSchoolTls(opts);
  const now = opts.now ?? new Date();
  const names = [...new Set(opts.names.map((n) => n.toLowerCase()))];
  const dnsNames = names.filter((n) => isIP(n) === 0);
  const dir = path.join(opts.dataDir, 'tls');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const files = {
    caKey: path.join(dir, 'ca.key'),
    caCert: path.join(dir, 'ca.crt'),
    key: path.join(dir, 'server.key'),
    cert: path.join(dir, 'server.crt'),
  };
  let ca: IssuedCert | null = null;
  const [caKey, caCert] = await Promise.all([readOrNull(files.caKey), readOrNull(files.caCert)]);
  if (caKey && caCert && caPermits(caCert, dnsNames)) ca = { key: caKey, cert: caCert };
  if (!ca) {
    if (caCert) log.warn('host names changed beyond the room CA: browsers must install the new CA');
    ca = await createCa(opts.roomName, dnsNames, now);
    await write(files.caKey, ca.key);
    await write(files.caCert, ca.cert);
  }
  let key = await readOrNull(files.key);
  if (!key) {
    key = await newKey();
    await write(files.key, key);
  }
  let cert = await readOrNull(files.cert);
  let reissued = false;
  if (!cert || !stillGood(cert, ca.cert, names, now) || spkiPin(cert) !== keyPin(key)) {
    cert = await issueServerCert(ca, key, names, now);
    await write(files.cert, cert);
    reissued = true;
    log.info(`server certificate issued for ${names.join(', ')}`);
  }
  return {
    cert: `${cert.trimEnd()}\n${ca.cert.trimEnd()}\n`,
    key,
    ca: ca.cert,
    pin: spkiPin(cert),
    names,
    notAfter: new Date(new X509Certificate(cert).validTo),
    reissued,
  };
}

async function loadSchoolTls(opts: RoomTlsOptions): Promise<RoomTls> {
  if (!opts.certFile || !opts.keyFile) throw new Error('--tls-cert and --tls-key go together');
  const [cert, key] = await Promise.all([
    fs.readFile(opts.certFile, 'utf8'),
    fs.readFile(opts.keyFile, 'utf8'),
  ]);
  const leaf = new X509Certificate(cert);
  if (!leaf.checkPrivateKey(createPrivateKey(key))) {
    throw new Error(`${opts.keyFile} is not the key of ${opts.certFile}`);
  }
  const missing = opts.names.filter((n) =>
    isIP(n) === 0 ? leaf.checkHost(n) === undefined : leaf.checkIP(n) === undefined,
  );
  if (missing.length > 0) log.warn(`${opts.certFile} does not cover ${missing.join(', ')}`);
  return {
    cert,
    key,
    ca: null,
    pin: spkiPin(leaf),
    names: [...opts.names],
    notAfter: new Date(leaf.validTo),
    reissued: false,
  };
}
