/**
 * The room's key fingerprint ("pin"): base64 SHA-256 of a certificate's SubjectPublicKeyInfo —
 * the form of HPKP and of Chromium's `--ignore-certificate-errors-spki-list`. A pin names a key,
 * not a certificate, so a reissued certificate for the same key keeps its pin.
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';

export { shortPin } from '../protocol/tls';

export function spkiPin(cert: string | Buffer | X509Certificate): string {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  return hashSpki(x.publicKey.export({ type: 'spki', format: 'der' }));
}

/** The pin of the public half of a private key (PEM): that of any certificate for it. */
export function keyPin(privateKeyPem: string): string {
  return hashSpki(createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' }));
}

function hashSpki(der: Buffer): string {
  return createHash('sha256').update(der).digest('base64');
}
