import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RelayServer, Room } from '../../local-ws';
import { launchChromium, screenshot } from '../helpers/browser';
import { HOST_CREDENTIAL, startHost } from '../helpers/host';

describe('headless host serves the browser client', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  let port: number;
  let browser: Browser;

  before(async () => {
    // The join URL is shown on the screen only (a documentation address); nothing is sent to it.
    ({ relay, room, base, port } = await startHost({ publicHost: '192.0.2.10' }));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
  });

  it('room screen shows the code and QR; a student and a teacher join and chat from the page', async () => {
    const screenPage = await (
      await browser.newContext({ viewport: { width: 1280, height: 720 } })
    ).newPage();
    await screenPage.goto(`${base}/?screen=${room.screenKey}`);
    const code = screenPage.getByLabel('join code');
    await code.waitFor();
    assert.equal((await code.textContent())?.replace(' ', ''), room.code);
    assert.equal(await screenPage.locator('.qr svg').count(), 1);
    assert.equal(
      await screenPage.locator('.url').textContent(),
      `Join at http://192.0.2.10:${port}/?code=${room.code}`,
    );
    await screenshot(screenPage, 'host-screen-idle');

    const student = await (await browser.newContext()).newPage();
    await student.goto(`${base}/?code=000000`);
    await student.getByLabel('Your name').fill('Ana');
    await student.getByRole('button', { name: 'Join' }).click();
    const alert = student.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'BAD_CODE');
    await screenshot(student, 'host-join-bad-code');
    await student.getByLabel('Join code').fill(room.code);
    await student.getByRole('button', { name: 'Join' }).click();
    await student.getByRole('heading', { name: 'Room 101' }).waitFor();

    const teacher = await (await browser.newContext()).newPage();
    await teacher.goto(`${base}/?code=${room.code}`);
    await teacher.getByLabel('Teacher', { exact: true }).check();
    await teacher.getByLabel('Your name').fill('Ms. Park');
    await teacher.getByLabel('Teacher credential').fill(HOST_CREDENTIAL);
    await teacher.getByRole('button', { name: 'Join' }).click();
    await teacher.getByRole('complementary', { name: 'People' }).getByText('Ana').waitFor();

    await student.getByRole('button', { name: 'Raise hand' }).click();
    await teacher.locator('li[data-peer="Ana"]').getByText('✋').waitFor();
    await student.getByPlaceholder('Message').fill('Can you zoom in?');
    await student.getByRole('button', { name: 'Send' }).click();
    await teacher.getByText('Can you zoom in?').waitFor();
    await screenshot(teacher, 'host-teacher-room');
  });

  it('speaks Chinese and Korean when asked', async () => {
    const zh = await (await browser.newContext()).newPage();
    await zh.goto(`${base}/?lang=zh-CN&code=${room.code}`);
    await zh.getByRole('button', { name: '加入' }).waitFor();
    assert.equal(await zh.getAttribute('html', 'lang'), 'zh-CN');
    await zh.getByLabel('你的名字').fill('小明');
    await screenshot(zh, 'join-zh-CN');
    const ko = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await ko.goto(`${base}/`);
    await ko.getByRole('button', { name: '입장' }).waitFor();
  });

  it('joins a typed room address, and says so when the address is not one', async () => {
    const p = await (await browser.newContext()).newPage();
    await p.goto(`${base}/?code=${room.code}`);
    await p.getByLabel('Your name').fill('Typist');
    await p.getByText('Room address (leave empty for this host)').click();
    const address = p.getByRole('textbox', { name: 'Room address (leave empty for this host)' });
    await address.fill('http://nope');
    await p.getByRole('button', { name: 'Join' }).click();
    assert.equal(await p.getByRole('alert').getAttribute('data-code'), 'BAD_ADDRESS');
    await address.fill(`127.0.0.1:${port}`);
    await p.getByRole('button', { name: 'Join' }).click();
    await p.getByRole('heading', { name: 'Room 101' }).waitFor();
  });
});
