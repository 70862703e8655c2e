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
  window.__settings = {
    roomName: 'Lectern room', displayId: null, port: 47800, codec: 'auto', language: 'en',
    startAtLogin: false, cloud: null, tls: null, cloudTokenSet: false,
  };
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
    getSettings: async () => window.__settings,
    setSettings: async (p) => {
      window.__bridgeCalls.push(['setSettings', p]);
      const { cloudToken, ...rest } = p;
      window.__settings = { ...window.__settings, ...rest, ...(cloudToken !== undefined && { cloudTokenSet: cloudToken !== null }) };
      return window.__settings;
    },
    listDisplays: async () => [{ id: '1', label: 'Built-in', primary: true }, { id: '2', label: 'Projector', primary: false }],
    exportDiagnostics: async () => { window.__bridgeCalls.push(['exportDiagnostics']); return '/tmp/lectern-diagnostics.json'; },
    log: async (level, context, message) => { window.__logLines = [...(window.__logLines ?? []), [level, context, message]]; },
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

  it('settings: the stored codec and language are used; changes and the cloud credential are saved; diagnostics export', async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.addInitScript(BRIDGE);
    // Settings stored by an earlier run: Korean, H.264.
    await page.addInitScript(
      "window.__settings = { ...window.__settings, language: 'ko', codec: 'H264' };",
    );
    await page.goto(`${base}/?debug`);
    await page.getByRole('heading', { name: 'Lectern' }).waitFor();
    await page.getByRole('button', { name: '입장', exact: true }).waitFor();
    assert.equal(await page.evaluate('window.lectern.app.shares.codec'), 'H264');

    await page.getByRole('button', { name: '설정' }).click();
    const form = page.getByRole('form', { name: '설정' });
    await form.getByLabel('교실 이름').fill('Physics lab');
    await form.getByLabel('디스플레이').selectOption('2');
    await form.getByLabel('언어').selectOption('en');
    await form.getByLabel('연결 주소').fill('wss://cloud.school.example/link');
    await form.getByLabel('교실 ID').fill('Room204abc');
    await form.getByLabel('교실 자격 증명').fill('lct_secret-from-the-console');
    await screenshot(page, 'desktop-settings');
    await form.getByRole('button', { name: '저장' }).click();
    // Saved in English now (the language changed with the save).
    await page.getByRole('status').getByText('Saved.').waitFor();
    const calls = (await page.evaluate('window.__bridgeCalls')) as [
      string,
      Record<string, unknown>,
    ][];
    const saved = calls.filter((c) => c[0] === 'setSettings').map((c) => c[1]);
    assert.equal(saved.length, 1);
    assert.deepEqual(saved[0], {
      roomName: 'Physics lab',
      displayId: '2',
      port: 47800,
      codec: 'H264',
      language: 'en',
      startAtLogin: false,
      cloud: { url: 'wss://cloud.school.example/link', roomId: 'Room204abc', chat: false },
      tls: null,
      cloudToken: 'lct_secret-from-the-console',
    });
    // The credential is write-only: the form shows that one is stored, never its value.
    const tokenField = page.getByLabel('Room credential');
    assert.equal(await tokenField.inputValue(), '');
    assert.match((await tokenField.getAttribute('placeholder')) ?? '', /Stored/);

    await page.getByRole('button', { name: 'Export diagnostics' }).click();
    await page.getByText('Diagnostics written to /tmp/lectern-diagnostics.json').waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await page
      .getByRole('heading', { name: 'Join a room' })
      .or(page.getByLabel('Your name'))
      .first()
      .waitFor();
  });
});
