/**
 * TURN for media beyond the LAN, with real parts: Debian's coturn as the cloud starts it
 * (TURN REST credentials only), the cloud handing each room time-limited credentials over the
 * room's link, the room host passing them to its devices (in the room and remote), and real
 * Chromium allocating relays with them and carrying data through the relay. A tampered or
 * expired credential gets no relay.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Coturn } from '../../cloud/turn/Coturn';
import { turnCredentials } from '../../cloud/turn/credentials';
import type { IceConfig, IceServer } from '../../protocol';
import { launchChromium } from '../helpers/browser';
import { linkedRoom, type LinkedRoom } from '../helpers/cloud';
import { until } from '../helpers/media';
import { TestClient } from '../helpers/TestClient';

/** pages/turn.ts runs in the browser (type-checked with the web tsconfig); seen from here: */
interface TurnPages {
  relayCandidates(servers: IceServer[]): Promise<string[]>;
  relayedMessage(servers: IceServer[]): Promise<string>;
}
const turnModule = '../helpers/pages/turn';
const { relayCandidates, relayedMessage } = (await import(turnModule)) as TurnPages;

const SECRET = 'test-turn-secret-0123456789';
const PORT = 34000 + (process.pid % 1000);

describe('TURN: coturn, per-room credentials over the link, relays in Chromium', () => {
  let coturn: Coturn;
  let linked: LinkedRoom;
  let browser: Browser;
  let page: Page;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-turn-'));
    coturn = new Coturn({
      ip: '127.0.0.1',
      port: PORT,
      secret: SECRET,
      dir,
      relayPorts: [PORT + 1, PORT + 40],
      // Production refuses private and loopback peers; this test's peers are on loopback.
      allowPeers: ['127.0.0.1'],
    });
    await coturn.start();
    linked = await linkedRoom({}, { turn: { urls: coturn.urls, secret: SECRET, ttlSec: 600 } });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    await page.goto(linked.cloud.base + '/healthz');
  });
  after(async () => {
    await browser?.close();
    await linked?.stop();
    await coturn?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'every device of the room gets the room’s TURN credential, and it relays',
    { timeout: 60_000 },
    async () => {
      await until(
        'link',
        async () => linked.feed.link.status.state,
        (s) => s === 'online',
        5000,
        20,
      );
      const student = await until(
        'a student with TURN servers',
        async () => {
          const c = await linked.relay.student(`Ann ${Date.now()}`);
          const { ice } = await c.request('snapshot', {});
          return { c, ice };
        },
        (r) => r.ice !== undefined,
        5000,
        100,
      );
      const ice = student.ice as IceConfig;
      const [server] = ice.iceServers;
      assert.deepEqual(server!.urls, coturn.urls);
      assert.ok(
        server!.urls.some((u) => u.includes('transport=tcp')),
        'TCP for networks without UDP',
      );
      // TURN REST: "<expiry>:<room>" and its HMAC-SHA1 under the shared secret, never a password.
      const [expiry, who] = server!.username!.split(':');
      assert.equal(who, linked.id);
      assert.ok(Math.abs(Number(expiry) * 1000 - (Date.now() + 600_000)) < 30_000);
      assert.equal(ice.expiresAt, Number(expiry) * 1000);
      const mac = createHmac('sha1', SECRET).update(server!.username!).digest('base64');
      assert.equal(server!.credential, mac);

      // A participant outside the room gets the same through the cloud.
      const made = await linked.cloud.api<{ token: string }>(
        'POST',
        `/api/rooms/${linked.id}/remote-links`,
        {},
      );
      const remote = await TestClient.connect(
        `${linked.cloud.base.replace('http', 'ws')}/remote?link=${made.body.token}`,
      );
      const ack = await remote.join({ role: 'student', name: 'Rita' });
      assert.equal(ack.snapshot.ice?.iceServers[0]?.username, server!.username);
      remote.ws.terminate();

      // Real Chromium allocates relays with it (UDP and TCP), and data crosses the relay.
      const relays = await page.evaluate(relayCandidates, ice.iceServers);
      assert.ok(
        relays.some((c) => c.includes(' udp ')),
        relays.join('\n'),
      );
      const message = await page.evaluate(relayedMessage, ice.iceServers);
      assert.equal(message, 'bow up, then down via relay');

      // A tampered or expired credential: coturn allocates nothing.
      const tampered = [{ ...server!, credential: mac.replace(/^./, mac[0] === 'A' ? 'B' : 'A') }];
      assert.deepEqual(await page.evaluate(relayCandidates, tampered), []);
      const old = turnCredentials(SECRET, linked.id, 60, Date.now() - 3600_000);
      const expired = [{ urls: server!.urls, username: old.username, credential: old.credential }];
      assert.deepEqual(await page.evaluate(relayCandidates, expired), []);
    },
  );
});
