/**
 * Certificates for a room host (X.509 by @peculiar/x509 over Node's WebCrypto): the room's own
 * certificate authority and the server certificate it signs for the host's names and addresses.
 * ECDSA P-256 keys and a server certificate valid 397 days: what browsers, macOS and iOS accept
 * for a privately trusted CA. The CA is name-constrained to this host's names, `.local` and
 * private address ranges, so a school that installs it trusts it for nothing on the internet.
 */
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  NameConstraints,
  id_ce_nameConstraints,
} from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

// Node's WebCrypto is the standard one; its type is not the DOM's `Crypto` under Node's types.
x509.cryptoProvider.set(webcrypto as never);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
export const SERVER_CERT_DAYS = 397;
const CA_DAYS = 3650;
/** Address ranges a LAN host can have (RFC 1918, link-local, loopback, IPv6 ULA and link-local). */
const PRIVATE_RANGES = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '127.0.0.0/8',
  '100.64.0.0/10',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
];

export interface KeyPem {
  /** PKCS#8 PEM. */
  key: string;
}

export interface IssuedCert extends KeyPem {
  cert: string;
}

/** A new ECDSA P-256 private key, PKCS#8 PEM (every PEM here ends with a newline: they concatenate into chains). */
export async function newKey(): Promise<string> {
  const pair = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const der = await webcrypto.subtle.exportKey('pkcs8', pair.privateKey);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

type KeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

async function keysOf(keyPem: string): Promise<KeyPair> {
  const priv = createPrivateKey(keyPem);
  const pkcs8 = priv.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(priv).export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8, ALG, false, ['sign']),
    webcrypto.subtle.importKey('spki', spki, ALG, true, ['verify']),
  ]);
  return { privateKey, publicKey } as KeyPair;
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // a positive INTEGER
  return Buffer.from(bytes).toString('hex');
}

/** An X.500 name value without the characters that would end it. */
function cn(text: string): string {
  return text.replace(/[,+="\\<>;#]/g, ' ').slice(0, 60);
}

function nameConstraints(dnsNames: readonly string[]): x509.Extension {
  const dns = [...new Set(['local', ...dnsNames.filter((n) => isIP(n) === 0)])];
  const permitted = new GeneralSubtrees([
    ...dns.map((d) => new GeneralSubtree({ base: new GeneralName({ dNSName: d }) })),
    ...PRIVATE_RANGES.map((r) => new GeneralSubtree({ base: new GeneralName({ iPAddress: r }) })),
  ]);
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted }));
  return new x509.Extension(id_ce_nameConstraints, true, value);
}

/** The room's certificate authority, allowed to sign for `dnsNames` and private addresses. */
export async function createCa(
  roomName: string,
  dnsNames: readonly string[],
  now = new Date(),
): Promise<IssuedCert> {
  const key = await newKey();
  const keys = await keysOf(key);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Lectern room CA — ${cn(roomName)}, O=Lectern`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      nameConstraints(dnsNames),
    ],
  });
  return { key, cert: `${cert.toString('pem')}\n` };
}

/** Whether the CA's name constraints allow every one of these DNS names. */
export function caPermits(caPem: string, dnsNames: readonly string[]): boolean {
  const ca = new x509.X509Certificate(caPem);
  const ext = ca.extensions.find((e) => e.type === id_ce_nameConstraints);
  if (!ext) return true;
  const nc = AsnConvert.parse(ext.value, NameConstraints);
  const allowed = (nc.permittedSubtrees ?? []).map((s) => s.base.dNSName).filter(Boolean);
  return dnsNames
    .filter((n) => isIP(n) === 0)
    .every((n) => allowed.some((a) => n === a || n.endsWith(`.${a!}`)));
}

/** A server certificate for `names` (DNS names and IP addresses) with `serverKey`, signed by `ca`. */
export async function issueServerCert(
  ca: IssuedCert,
  serverKey: string,
  names: readonly string[],
  now = new Date(),
): Promise<string> {
  const caKeys = await keysOf(ca.key);
  const keys = await keysOf(serverKey);
  const caCert = new x509.X509Certificate(ca.cert);
  const alt = names.map((n) =>
    isIP(n) === 0 ? { type: 'dns' as const, value: n } : { type: 'ip' as const, value: n },
  );
  const first = names.find((n) => isIP(n) === 0) ?? names[0] ?? 'lectern';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${cn(first)}, O=Lectern`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + SERVER_CERT_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(alt),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return `${cert.toString('pem')}\n`;
}
