import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createCa, issueServerCert, newKey } from '../../local-ws/tls/issue';
import { loadRoomTls } from '../../local-ws/tls/RoomTls';
import { keyPin, spkiPin } from '../../server-kit/tlsPin';

const names = ['room101', 'room101.local', 'localhost', '10.77.0.1', '127.0.0.1'];

describe('the room host’s TLS identity', () => {
  it('is made once, kept 0600, and reissued for a new address with the same key and pin', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-tls-'));
    const first = await loadRoomTls({ dataDir, roomName: 'Room 101', names });
    assert.equal(first.reissued, true);
    for (const f of ['ca.key', 'ca.crt', 'server.key', 'server.crt']) {
      assert.equal((statSync(path.join(dataDir, 'tls', f)).mode & 0o777).toString(8), '600', f);
    }
    const leaf = new X509Certificate(first.cert);
    const ca = new X509Certificate(first.ca!);
    assert.ok(leaf.verify(ca.publicKey), 'signed by the room CA');
    assert.ok(leaf.checkIP('10.77.0.1') && leaf.checkHost('room101.local'));
    const days = (Date.parse(leaf.validTo) - Date.now()) / 86_400_000;
    assert.ok(days > 390 && days <= 398, `server certificate valid ${days} days`);
    assert.equal(first.pin, spkiPin(leaf));

    const again = await loadRoomTls({ dataDir, roomName: 'Room 101', names });
    assert.equal(again.reissued, false);
    assert.equal(again.cert, first.cert);

    // The laptop moved to another network: a new certificate for the new address, same pin.
    const moved = await loadRoomTls({
      dataDir,
      roomName: 'Room 101',
      names: [...names.slice(0, 3), '192.168.4.20', '127.0.0.1'],
    });
    assert.equal(moved.reissued, true);
    assert.equal(moved.pin, first.pin);
    assert.notEqual(moved.cert, first.cert);
    assert.ok(new X509Certificate(moved.cert).checkIP('192.168.4.20'));
    assert.equal(moved.ca, first.ca, 'the CA browsers installed stays');

    // Near its end (31 days → 29 days left) it is reissued too.
    const later = new Date(Date.now() + 370 * 86_400_000);
    const renewed = await loadRoomTls({ dataDir, roomName: 'Room 101', names, now: later });
    assert.equal(renewed.reissued, true);
    assert.equal(renewed.pin, first.pin);
  });

  it('the room CA is name-constrained: it cannot vouch for a name on the internet', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lectern-nc-'));
    const ca = await createCa('Room 101', ['room101']);
    const key = await newKey();
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const caFile = file('ca.pem', ca.cert);
    // OpenSSL enforces name constraints as browsers do.
    const verify = (cert: string) =>
      spawnSync('openssl', ['verify', '-CAfile', caFile, file('leaf.pem', cert)], {
        encoding: 'utf8',
      });
    const room = verify(await issueServerCert(ca, key, ['room101.local', '192.168.4.20']));
    assert.equal(room.status, 0, room.stdout + room.stderr);
    for (const outside of [['bank.example'], ['8.8.8.8']]) {
      const r = verify(await issueServerCert(ca, key, outside));
      assert.notEqual(r.status, 0, outside[0]);
      assert.match(r.stdout + r.stderr, /subtree violation|name constraint/i, outside[0]);
    }
  });

  it('takes a school’s own certificate and key, and refuses a key that is not its own', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lectern-school-'));
    const ca = await createCa('School', ['school.example']);
    const key = await newKey();
    const cert = await issueServerCert(ca, key, ['room101.school.example']);
    writeFileSync(path.join(dir, 'cert.pem'), cert + ca.cert);
    writeFileSync(path.join(dir, 'key.pem'), key);
    writeFileSync(path.join(dir, 'other.pem'), await newKey());
    const school = await loadRoomTls({
      dataDir: dir,
      roomName: 'Room 101',
      names: ['room101.school.example'],
      certFile: path.join(dir, 'cert.pem'),
      keyFile: path.join(dir, 'key.pem'),
    });
    assert.equal(school.ca, null, 'no room CA to install');
    assert.equal(school.pin, keyPin(readFileSync(path.join(dir, 'key.pem'), 'utf8')));
    await assert.rejects(
      loadRoomTls({
        dataDir: dir,
        roomName: 'Room 101',
        names: [],
        certFile: path.join(dir, 'cert.pem'),
        keyFile: path.join(dir, 'other.pem'),
      }),
      /is not the key of/,
    );
  });
});
