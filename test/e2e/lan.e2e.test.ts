/**
 * A real LAN address, not 127.0.0.1 (which browsers treat as secure and so hides every
 * secure-context problem): inside the test runner's private network namespace, 10.77.0.1 on
 * loopback plays the host's Wi-Fi address. The real headless host binds it; real Chromium opens
 * the URLs it prints. `--ignore-certificate-errors-spki-list=<pin>` plays a device that pinned
 * the room's key (the desktop app, or a browser with the room CA installed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ErrorCode } from '../../protocol';
import { shortPin } from '../../protocol/tls';
import { spkiPin } from '../../server-kit/tlsPin';
import { launchChromium, screenshot } from '../helpers/browser';
import { WEB } from '../helpers/host';
import { until } from '../helpers/media';
import { spawnCli, type CliChild } from '../helpers/spawnCli';
import { TestClient } from '../helpers/TestClient';

const LAN = '10.77.0.1';
const inNamespace = process.env['LECTERN_NETNS'] === '1';

/** Adds the LAN address to the namespace's loopback (never outside a namespace of our own). */
function addLanAddress(): void {
  try {
    execFileSync('ip', ['addr', 'add', `${LAN}/32`, 'dev', 'lo'], { stdio: 'pipe' });
  } catch (err) {
    if (!String((err as { stderr?: Buffer }).stderr).includes('File exists')) throw err;
  }
}

/** What the page may do: a secure context, and whether capture APIs exist at all. */
const contextOf = (p: Page) =>
  p.evaluate('({ secure: window.isSecureContext, media: navigator.mediaDevices !== undefined })');

const videoWidth = (p: Page, selector: string) =>
  p
    .locator(selector)
    .first()
    .evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)
    .catch(() => 0);

describe(
  'a real LAN address: https with a pinned key, http for viewing',
  { skip: inNamespace ? false : 'needs the private network namespace (run the tests as root)' },
  () => {
    let host: CliChild;
    let dataDir: string;
    let port: number;
    let pin: string;
    let credential: string;
    let code: string;
    let screenUrl: string;
    let pinned: Browser;
    let unpinned: Browser;
    const contexts: BrowserContext[] = [];

    before(async () => {
      addLanAddress();
      dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-lan-'));
      host = await spawnCli(
        'local-ws/cli.ts',
        ['--host', LAN, '--port', '0', '--no-sfu', '--data-dir', dataDir, '--web-dir', WEB],
        /Join code: \d{3} \d{3}/,
        // Every log line the host writes, to check that no device credential is among them.
        { LECTERN_LOG: 'debug', LECTERN_TEACHER_CREDENTIAL: '' },
      );
      const printed = host.printed;
      port = Number(/Teachers, sharing, voices: https:\/\/10\.77\.0\.1:(\d+)\//.exec(printed)![1]);
      pin = /pin sha256\/(\S+)\)/.exec(printed)![1]!;
      credential = /teacher credential is\s+(\S+)/.exec(printed)![1]!;
      code = /Join code: (\d{3}) (\d{3})/.exec(printed)!.slice(1).join('');
      screenUrl = /Room screen \(this machine's big screen\): (\S+)/.exec(printed)![1]!;
      pinned = await launchChromium([`--ignore-certificate-errors-spki-list=${pin}`]);
      unpinned = await launchChromium();
    });
    after(async () => {
      await pinned?.close();
      await unpinned?.close();
      await host?.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    });

    const open = async (browser: Browser, url: string, viewport = { width: 1280, height: 800 }) => {
      const ctx = await browser.newContext({ viewport });
      await ctx.grantPermissions(['camera', 'microphone']);
      contexts.push(ctx);
      const p = await ctx.newPage();
      await p.goto(url);
      return p;
    };

    it('prints https and http on one port, the pin, and a room screen URL that is secure', async () => {
      assert.match(host.printed, new RegExp(`Students \\(view\\): http://${LAN}:${port}/`));
      assert.match(host.printed, new RegExp(`Room key ${shortPin(pin)}`));
      assert.ok(screenUrl.startsWith(`https://${LAN}:${port}/?screen=`), screenUrl);
      // The QR link (printed under the code) carries the pin for the app and the https page.
      const qrLink = await until(
        'the QR link is printed',
        () => Promise.resolve(/Scan or open (\S+)/.exec(host.output())?.[1] ?? ''),
        (l) => l !== '',
      );
      assert.equal(qrLink, `http://${LAN}:${port}/?code=${code}#pin=${encodeURIComponent(pin)}`);
    });

    it('serves a certificate for the LAN address, signed by the CA it serves, with the printed pin', async () => {
      const ca = await (await fetch(`http://${LAN}:${port}/lectern-ca.crt`)).text();
      assert.match(ca, /BEGIN CERTIFICATE/);
      const peer = await new Promise<{ authorized: boolean; pin: string }>((resolve, reject) => {
        const s = tlsConnect({ host: LAN, port, ca }, () => {
          const cert = s.getPeerX509Certificate()!;
          resolve({ authorized: s.authorized, pin: spkiPin(cert) });
          s.end();
        });
        s.once('error', reject);
      });
      assert.deepEqual(peer, { authorized: true, pin });
    });

    it('the relay holds the line: plain http from the LAN views only, wss teaches', async () => {
      const viewer = await TestClient.connect(`ws://${LAN}:${port}/ws`);
      const ack = await viewer.join({ role: 'student', name: 'Viewer', code });
      assert.equal(ack.secure, false);
      assert.equal(ack.snapshot.secureUrl, `https://${LAN}:${port}/`);
      assert.equal(ack.snapshot.pin, pin);
      await assert.rejects(
        viewer.request('share.start', {
          kind: 'screen',
          label: 'x',
          preset: 'sharp',
          audio: false,
          music: false,
        }),
        { code: ErrorCode.INSECURE_TRANSPORT },
      );
      await assert.rejects(viewer.request('device.remember', {}), {
        code: ErrorCode.INSECURE_TRANSPORT,
      });
      await viewer.close();
      const plainTeacher = await TestClient.connect(`ws://${LAN}:${port}/ws`);
      await assert.rejects(plainTeacher.join({ role: 'teacher', name: 'T', code, credential }), {
        code: ErrorCode.INSECURE_TRANSPORT,
      });
      await plainTeacher.close();
      const ca = await (await fetch(`http://${LAN}:${port}/lectern-ca.crt`)).text();
      const teacher = await TestClient.connect(`wss://${LAN}:${port}/ws`, { ca });
      const t = await teacher.join({ role: 'teacher', name: 'T', code, credential });
      assert.equal(t.secure, true);
      await teacher.close();
    });

    it('without the pin the TLS handshake fails; with it a teacher shares to the room screen, and an http viewer sees it and goes on stage through the https page', async () => {
      await assert.rejects(
        (await unpinned.newContext()).newPage().then((p) => p.goto(`https://${LAN}:${port}/`)),
        /ERR_CERT_AUTHORITY_INVALID/,
      );

      const screen = await open(pinned, screenUrl, { width: 1920, height: 1080 });
      assert.deepEqual(await contextOf(screen), { secure: true, media: true });
      await screen.getByLabel('join code').waitFor();
      assert.equal(
        (await screen.getByLabel('Room key').textContent())?.trim(),
        `Room key ${shortPin(pin)}`,
      );
      await screenshot(screen, 'lan-screen-idle');

      const teacher = await open(pinned, `https://${LAN}:${port}/?code=${code}`);
      assert.deepEqual(await contextOf(teacher), { secure: true, media: true });
      await teacher.getByLabel('Teacher', { exact: true }).check();
      await teacher.getByLabel('Your name').fill('Ms. Park');
      await teacher.getByLabel('Teacher credential').fill(credential);
      await teacher.getByRole('button', { name: 'Join' }).click();
      await teacher.getByRole('button', { name: 'Share screen' }).click();
      await until(
        'the room screen shows the share',
        () => videoWidth(screen, 'video'),
        (w) => w > 0,
      );

      // A phone scanning the QR code: the http page, no certificate, not a secure context.
      const ana = await open(pinned, `http://${LAN}:${port}/?code=${code}`, {
        width: 390,
        height: 844,
      });
      assert.deepEqual(await contextOf(ana), { secure: false, media: false });
      await ana.getByLabel('Your name').fill('Ana');
      await ana.getByRole('button', { name: 'Join' }).click();
      await until(
        'Ana sees the teacher’s share',
        () => videoWidth(ana, '.viewer video'),
        (w) => w > 0,
      );

      // Invited on stage, she is sent to the https page with one tap, as the same Ana.
      await teacher
        .locator('li[data-peer="Ana"]')
        .getByRole('button', { name: 'Invite on stage' })
        .click();
      const invite = ana.getByRole('dialog');
      await invite.getByRole('button', { name: 'Accept on the secure page' }).waitFor();
      assert.equal(await invite.getByRole('button', { name: 'Accept', exact: true }).count(), 0);
      assert.match((await invite.textContent()) ?? '', new RegExp(shortPin(pin)));
      await screenshot(ana, 'lan-http-viewer-invited');
      await invite.getByRole('button', { name: 'Accept on the secure page' }).click();
      await ana.waitForURL(`https://${LAN}:${port}/?code=${code}`);
      await ana.getByText('On stage').first().waitFor();
      assert.deepEqual(await contextOf(ana), { secure: true, media: true });
      await ana.getByRole('button', { name: 'Share to the room screen' }).waitFor();
      await teacher
        .locator('li[data-peer="Ana"]')
        .getByRole('button', { name: 'Take off stage' })
        .waitFor();
      assert.equal(await teacher.locator('li[data-peer="Ana"]').count(), 1, 'still one Ana');
      await screenshot(ana, 'lan-https-on-stage');

      // The teacher's device was remembered on the https page (the box is ticked there): after
      // a reload it is back in the class with one tap, no code and no credential typed.
      await teacher.reload();
      const rooms = teacher.getByRole('region', { name: 'Your rooms' });
      await rooms.getByText('as Ms. Park (teacher)').waitFor();
      await screenshot(teacher, 'lan-remembered-room');
      await rooms.getByRole('button', { name: 'Rejoin' }).click();
      await teacher.getByRole('button', { name: 'Share screen' }).waitFor();
      await teacher.getByText('Remembered devices').click();
      await teacher.locator('li[data-device="Ms. Park"]').waitFor();
      const kept = (await teacher.evaluate(
        "JSON.parse(localStorage.getItem('lectern.rememberedRooms'))",
      )) as { credential: string }[];
      assert.equal(kept.length, 1);
      assert.ok(!host.output().includes(kept[0]!.credential), 'a device credential in the log');
      assert.ok(host.output().includes('"level":30'), 'the host logged below warn');
      // The http page offers no remembering: its credential would cross the Wi-Fi in clear.
      const phone = await open(pinned, `http://${LAN}:${port}/?code=${code}`);
      await phone.getByLabel('Your name').waitFor();
      assert.equal(await phone.getByLabel('Remember this device for this room').count(), 0);

      // Approve new devices: the phone waits, seeing nothing of the class, until let in.
      // The box shows the room's state: it turns on when the relay says approval is on.
      const approve = teacher.getByLabel('Approve new devices');
      await approve.click();
      await until(
        'approval is on',
        () => approve.isChecked(),
        (on) => on,
      );
      await phone.getByLabel('Your name').fill('Cy');
      await phone.getByRole('button', { name: 'Join' }).click();
      await phone.getByText('Waiting for the teacher to let you in…').waitFor();
      const lobby = teacher.getByRole('region', { name: 'Waiting to join' });
      await lobby.locator('li[data-waiting="Cy"]').waitFor();
      await screenshot(teacher, 'lan-teacher-lobby');
      await lobby.getByRole('button', { name: 'Let in' }).click();
      await phone.getByRole('heading', { name: 'Lectern room' }).waitFor();
      for (const c of contexts) await c.close();
    });
  },
);
