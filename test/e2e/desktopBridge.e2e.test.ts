import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RelayServer, Room } from '../../local-ws';
import { launchChromium, screenshot } from '../helpers/browser';
import { HOST_CREDENTIAL, startHost } from '../helpers/host';

/**
 * The renderer's side of the desktop bridge (protocol/desktop.ts) in real Chromium. Electron
 * cannot run here, so the page gets `window.lecternDesktop` from an init script that speaks the
 * contract and records calls; everything after the bridge (getDisplayMedia with Chromium's fake
 * capture, the relay, the share) is real.
 */
const BRIDGE = `
  window.__bridgeCalls = [];
  const thumb = (hue, label) => {
    const c = document.createElement('canvas'); c.width = 320; c.height = 180;
    const g = c.getContext('2d'); g.fillStyle = 'hsl(' + hue + ' 55% 42%)'; g.fillRect(0, 0, 320, 180);
    g.fillStyle = '#fff'; g.font = '22px sans-serif'; g.fillText(label, 18, 98); return c.toDataURL();
  };
  let roomsListener = () => {};
  window.__announceRooms = (rooms) => roomsListener(rooms);
  window.lecternDesktop = {
    isElectron: true, platform: 'linux',
    listSources: async () => [
      { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnail: thumb(220, 'Screen 1'), appIcon: null, displayId: '1' },
      { id: 'window:11:0', name: 'Lesson 4 — slides.pdf', kind: 'window', thumbnail: thumb(20, 'slides.pdf'), appIcon: thumb(20, ''), displayId: null },
      { id: 'window:12:0', name: 'Terminal', kind: 'window', thumbnail: thumb(0, '$ make'), appIcon: null, displayId: null },
    ],
    pickSource: async (id, audio) => { window.__bridgeCalls.push(['pickSource', id, audio]); },
    listRooms: async () => [],
    onRoomsChanged: (l) => { roomsListener = l; return () => { roomsListener = () => {}; }; },
    onNotice: () => () => {},
    getSettings: async () => ({ language: 'en', codec: 'auto' }),
    setSettings: async (p) => ({ language: 'en', codec: 'auto', ...p }),
    exportDiagnostics: async () => '/tmp/diagnostics.json',
  };
`;

describe('desktop bridge: discovered rooms and the source picker', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  let port: number;
  let browser: Browser;

  before(async () => {
    ({ relay, room, base, port } = await startHost());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
  });

  it('lists rooms as they are found, joins the picked one, shares the picked window', async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 } })
    ).newPage();
    await page.addInitScript(BRIDGE);
    await page.goto(`${base}/?debug`);
    await page.getByText('Looking for rooms').waitFor();
    const address = page.getByRole('textbox', { name: /Room address/ });
    assert.equal(await address.getAttribute('required'), '', 'in the app an address is needed');

    await page.evaluate(
      `window.__announceRooms([
        { id: 'a', name: 'Room 101', address: '127.0.0.1:${port}', protocolVersion: 1 },
        { id: 'b', name: '物理实验室', address: '192.0.2.31:47800', protocolVersion: 1 },
      ])`,
    );
    await page.getByLabel(/Room 101/).check();
    assert.equal(await address.inputValue(), `127.0.0.1:${port}`);
    await screenshot(page, 'desktop-join-rooms');

    await page.getByLabel('Teacher', { exact: true }).check();
    await page.getByLabel('Your name').fill('Ms. Lee');
    await page.getByLabel('Join code').fill(room.code);
    await page.getByLabel('Teacher credential').fill(HOST_CREDENTIAL);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('button', { name: 'Share screen' }).click();

    // The app's own picker, not the browser's: thumbnails grouped by kind.
    const picker = page.getByRole('dialog', { name: 'Choose what to share' });
    await picker.getByText('Lesson 4 — slides.pdf').waitFor();
    assert.equal(await picker.getByRole('heading', { name: 'Screens' }).count(), 1);
    assert.equal(await picker.locator('.source').count(), 3);
    await screenshot(page, 'desktop-source-picker');
    await picker.getByText('Lesson 4 — slides.pdf').click();

    await page.getByRole('button', { name: 'Stop sharing' }).waitFor();
    assert.deepEqual(await page.evaluate('window.__bridgeCalls'), [
      ['pickSource', 'window:11:0', false],
    ]);
    const shares = room.shares.list();
    assert.equal(shares.length, 1, 'the relay has the share');
    assert.equal(await picker.count(), 0, 'picker closed');
  });
});
