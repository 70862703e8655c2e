import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { createCa, issueServerCert, newKey } from '../../../local-ws/tls/issue';
import { judgeCertificate, PinStore } from '../../../main/policy/certPins';
import { keyPin } from '../../../server-kit/tlsPin';

/** A real TLS server with this certificate; resolves with its port. */
async function serve(cert: string, key: string): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert, key }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** What a client sees of the server: its certificate, PEM (as Electron hands it over). */
function presented(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(s.getPeerX509Certificate()!.toString());
      s.end();
    });
    s.once('error', reject);
  });
}

describe('the desktop app pins a room host’s key', () => {
  const servers: Server[] = [];
  const ports: Record<'room' | 'renewed' | 'impostor', number> = {
    room: 0,
    renewed: 0,
    impostor: 0,
  };
  let roomPin: string;

  before(async () => {
    const names = ['room101', 'room101.local', '127.0.0.1'];
    const ca = await createCa('Room 101', names);
    const key = await newKey();
    roomPin = keyPin(key);
    // The same key reissued (new address, near expiry): a new certificate with the same pin.
    const first = await issueServerCert(ca, key, names);
    const renewed = await issueServerCert(ca, key, [...names, '10.77.0.9']);
    assert.notEqual(first, renewed);
    // A look-alike host on the Wi-Fi with a certificate of its own for the same names.
    const impostorKey = await newKey();
    const impostor = await issueServerCert(await createCa('Room 101', names), impostorKey, names);
    for (const [which, cert, k] of [
      ['room', first, key],
      ['renewed', renewed, key],
      ['impostor', impostor, impostorKey],
    ] as const) {
      const { server, port } = await serve(cert, k);
      servers.push(server);
      ports[which] = port;
    }
  });
  after(() => {
    for (const s of servers) s.close();
  });

  it('trusts the advertised key and remembers it; a renewed certificate keeps its pin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lectern-pins-'));
    const store = await PinStore.open(dir);
    const host = '10.77.0.9';
    const first = judgeCertificate(await presented(ports.room), store.get(host), roomPin);
    assert.deepEqual(first, { kind: 'trusted', pin: roomPin, remember: true });
    await store.remember(host, first.pin);
    assert.equal((statSync(path.join(dir, 'room-pins.json')).mode & 0o777).toString(8), '600');

    const again = await PinStore.open(dir);
    assert.equal(again.get(host), roomPin, 'remembered across restarts');
    const renewed = judgeCertificate(await presented(ports.renewed), again.get(host), undefined);
    assert.deepEqual(renewed, { kind: 'trusted', pin: roomPin, remember: false });
  });

  it('refuses a changed key for a remembered host, and a key that is not the advertised one', async () => {
    const impostor = await presented(ports.impostor);
    const changed = judgeCertificate(impostor, roomPin, undefined);
    assert.equal(changed.kind, 'changed');
    // Even when the impostor advertises its own pin: the remembered one wins.
    assert.equal(judgeCertificate(impostor, roomPin, keyPinOf(impostor)).kind, 'changed');
    const mismatch = judgeCertificate(impostor, undefined, roomPin);
    assert.equal(mismatch.kind, 'mismatch');
  });

  it('asks on first use with nothing advertised, showing the short key', async () => {
    const v = judgeCertificate(await presented(ports.room), undefined, undefined);
    assert.equal(v.kind, 'ask');
    assert.match(v.kind === 'ask' ? v.short : '', /^[0-9A-F]{4}( [0-9A-F]{4}){3}$/);
  });
});

function keyPinOf(certPem: string): string {
  return judgeCertificate(certPem, undefined, undefined).pin;
}
