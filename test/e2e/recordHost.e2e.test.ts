import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Manifest } from '../../local-ws/record/Recording';
import { launchChromium } from '../helpers/browser';
import { until } from '../helpers/media';
import {
  droppedFrames,
  recordedFrames,
  STAMP_BITS,
  STAMP_BLOCK,
  stampSource,
} from '../helpers/recorded';
import { rejectsWith } from '../helpers/relay';
import { spawnHost, type HostChild } from '../helpers/spawnHost';
import { TestClient } from '../helpers/TestClient';

const RECORD_SECONDS = 10;

/**
 * Recording on the headless host exactly as `npm start` runs it: a host killed with SIGKILL in
 * the middle of a recording, and a host whose disk fills (a small tmpfs in its own mount
 * namespace, filled from outside through /proc/<pid>/root).
 */
describe('recording on a host that dies or runs out of disk', () => {
  const hosts: HostChild[] = [];
  let browser: Browser | null = null;
  after(async () => {
    await browser?.close();
    for (const h of hosts) await h.kill('SIGKILL');
  });
  const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'lectern-host-'));

  async function teacherOf(host: HostChild, credential: string): Promise<TestClient> {
    const c = await TestClient.connect(host.url);
    await c.join({ role: 'teacher', name: 'Ms. Park', code: host.code, credential });
    return c;
  }

  it('a full disk stops the recording with a message, and a nearly full one refuses to start', async () => {
    const data = dataDir();
    // 48 MB of disk; recording needs 24 MB free.
    const mount = `mount -t tmpfs -o size=48m,mode=0700 tmpfs '${data}' && exec "$0" "$@"`;
    const host = await spawnHost(
      ['--no-tls', '--data-dir', data, '--room', 'Room 101', '--record-min-free-mb', '24'],
      { sfu: true, wrap: ['unshare', '-m', 'sh', '-c', mount] },
    );
    hosts.push(host);
    const disk = `/proc/${host.child.pid}/root${data}`;
    assert.ok(host.credential, 'first run prints the teacher credential');
    const teacher = await teacherOf(host, host.credential);
    await teacher.request('record.start', {});
    const told = teacher.waitFor('recordingStopped');
    const off = teacher.waitFor('roomUpdated', (p) => p.room.recording === undefined);
    writeFileSync(path.join(disk, 'fill'), Buffer.alloc(30 * 1024 ** 2));
    const stopped = await told;
    await off;
    assert.equal(stopped.reason, 'diskLow');
    const manifest = JSON.parse(
      readFileSync(path.join(disk, 'records', stopped.record, 'manifest.json'), 'utf8'),
    ) as Manifest;
    assert.equal(manifest.endReason, 'diskLow');
    await rejectsWith(teacher.request('record.start', {}), 'DISK_LOW');
    rmSync(path.join(disk, 'fill'));
    await teacher.request('record.start', {});
    await teacher.request('record.stop', {});
    assert.deepEqual(
      readdirSync(path.join(data)),
      [],
      'all of it went to the tmpfs, none to the disk underneath',
    );
    teacher.ws.terminate();
  });

  it('a host killed mid-recording leaves a file that plays to the kill, finished at its restart', async () => {
    const data = dataDir();
    const args = ['--no-tls', '--data-dir', data, '--room', 'Room 101'];
    const host = await spawnHost(args, { sfu: true });
    hosts.push(host);
    const credential = host.credential!;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript('window.__name = (f) => f');
    const page = await context.newPage();
    const base = `http://127.0.0.1:${host.port}`;
    await page.goto(`${base}/?debug&code=${host.code}`);
    await page.getByLabel('Teacher', { exact: true }).check();
    await page.getByLabel('Your name').fill('Ms. Park');
    await page.getByLabel('Teacher credential').fill(credential);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'Room 101' }).waitFor();
    await page.getByRole('button', { name: '● Record' }).click();
    await page.locator('.rec-badge').waitFor();
    // recordedFrames reads the stamp at the 1080p source's scale.
    await page.evaluate(stampSource, {
      width: 1920,
      height: 1080,
      bits: STAMP_BITS,
      block: STAMP_BLOCK,
    });
    const records = path.join(data, 'records');
    const first = await until(
      'the share is being written',
      async () => {
        const [name] = readdirSync(records);
        if (!name) return null;
        const m = JSON.parse(readFileSync(path.join(records, name, 'manifest.json'), 'utf8'));
        return (m as Manifest).streams.find((s) => s.kind === 'video' && s.startedAt) ?? null;
      },
      (s) => s !== null,
      20_000,
      100,
    );
    await new Promise((r) => setTimeout(r, RECORD_SECONDS * 1000));
    const killedAt = Date.now();
    await host.kill('SIGKILL');
    const folder = path.join(records, readdirSync(records)[0]!);
    const file = path.join(folder, first!.file);
    await new Promise((r) => setTimeout(r, 1500));
    const asLeft = await recordedFrames(file);
    const span = (killedAt - first!.startedAt!) / 1000;
    const last = asLeft.ids.at(-1)!;
    const covered = ((last - asLeft.ids[0]! + (1 << STAMP_BITS)) % (1 << STAMP_BITS)) / 30;
    console.log(
      `killed after ${span.toFixed(1)} s of recording: file left with ${asLeft.ids.length} frames ` +
        `covering ${covered.toFixed(1)} s of the source, duration ${asLeft.duration} s ` +
        `[${asLeft.ids.slice(0, 5).join(',')} … ${asLeft.ids.slice(-5).join(',')}]`,
    );
    assert.ok(covered >= span - 3, `plays to the kill minus a few seconds: ${covered} of ${span}`);
    assert.ok(droppedFrames(asLeft.ids).repeats <= 2);

    // The host comes back: the record is marked as cut short, and it is in the teacher's list.
    const again = await spawnHost(args, { sfu: true });
    hosts.push(again);
    const teacher = await teacherOf(again, credential);
    const [r] = (await teacher.request('records.list', {})).records;
    assert.ok(r, 'the record is listed after the restart');
    assert.equal(r.recording, false);
    assert.ok(r.endedAt !== null && r.endedAt <= killedAt + 2000, 'ended at the kill');
    assert.ok(r.durationMs >= (span - 3) * 1000, `${r.durationMs} ms long`);
    const after = await recordedFrames(file);
    assert.ok(after.duration !== null && after.duration >= span - 3, 'it knows its length');
    await page.close();
    teacher.ws.terminate();
  });
});
