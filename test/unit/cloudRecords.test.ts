/** The cloud's record folders: listing, signed links that expire, names that stay inside. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CloudRecords } from '../../cloud/records/CloudRecords';

const ROOM = 'Abc123';
const ID = '2026-12-03-15-00-00-Un1_';

function library() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-cloud-unit-'));
  const folder = path.join(dir, 'rooms', ROOM, ID);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, '01-video.webm'), Buffer.alloc(1000));
  return { records: new CloudRecords({ dir, signingKey: 'k', quotaBytes: 10_000 }), folder };
}

describe('cloud records', () => {
  it('lists a record whose manifest has not arrived as incomplete, then complete', async () => {
    const { records, folder } = library();
    const [first] = await records.list(ROOM);
    assert.equal(first?.complete, false);
    assert.equal(first?.title, null);
    assert.equal(first?.bytes, 1000);
    const manifest = {
      room: 'Room 101',
      startedAt: 1000,
      startedBy: 'Ms. Park',
      endedAt: 61_000,
      onStage: [],
      streams: [{ peer: 'Ms. Park', file: '01-video.webm', endedAt: 61_000 }],
    };
    writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
    const [done] = await records.list(ROOM);
    assert.equal(done?.complete, true);
    assert.equal(done?.title, 'Room 101');
    assert.equal(done?.durationMs, 60_000);
    assert.equal(await records.roomBytes(ROOM), 1000 + JSON.stringify(manifest).length);
    assert.deepEqual(await records.list('../etc'), []);
  });

  it('signs links for an hour; a changed or expired link opens nothing', async () => {
    const { records, folder } = library();
    const t0 = 1_800_000_000_000;
    const url = new URL((await records.list(ROOM, t0))[0]!.files[0]!.url, 'http://x');
    assert.equal(records.fileFor(url, t0 + 59 * 60_000)?.file, path.join(folder, '01-video.webm'));
    assert.equal(records.fileFor(url, t0 + 61 * 60_000), null, 'expired');
    const other = new CloudRecords({
      dir: path.dirname(path.dirname(path.dirname(folder))),
      signingKey: 'k2',
      quotaBytes: 1,
    });
    assert.equal(other.fileFor(url, t0), null, 'another key');
    const escape = new URL(url.href.replace('01-video.webm', '..%2F..%2Fx'));
    assert.equal(records.fileFor(escape, t0), null);
  });
});
