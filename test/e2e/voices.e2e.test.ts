import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RelayServer, Room } from '../../local-ws';
import { fakeMic, listen, loudestFrom, sound, toneWav } from '../helpers/audio';
import { launchChromium, screenshot } from '../helpers/browser';
import { joinAs, startHost } from '../helpers/host';
import { until } from '../helpers/media';

const TEACHER_HZ = 440;
const ANA_HZ = 660;
const TONES = [TEACHER_HZ, ANA_HZ];
/** A tone this far above the other is what a listener hears; silence is about −120 dB. */
const CLEAR_DB = 20;

const peerId = async (p: Page) => ({ peerId: await p.evaluate(sound.myPeerId) });

/** Hears `hz` from `peer` on page `p`, clearly above the other tone. */
async function hears(p: Page, peer: string, hz: number, what: string) {
  const other = TONES.find((f) => f !== hz)!;
  return until(
    what,
    () => loudestFrom(p, peer, TONES),
    (h) => h !== null && h.loudest === hz && h.db[hz]! - h.db[other]! > CLEAR_DB,
    30_000,
    500,
  );
}

/**
 * Voices and faces with real Chromium and a real SFU worker. Each person who speaks has their
 * own browser process (Chromium plays one WAV file as every microphone of a process): the
 * teacher's microphone is a 440 Hz tone, Ana's 660 Hz. Receivers are judged by what they play:
 * WebAudio on the tracks behind their <audio> elements.
 */
describe('voices: microphones through P2P and the SFU, the loudspeaker rule, mutes that hold', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  const browsers: Browser[] = [];
  const pages: Record<string, Page> = {};

  before(async () => {
    ({ relay, room, base } = await startHost({ sfu: { listenIp: '127.0.0.1' } }));
    for (const hz of [TEACHER_HZ, ANA_HZ]) {
      browsers.push(await launchChromium(fakeMic(toneWav(`tone-${hz}`, hz))));
    }
    browsers.push(await launchChromium()); // the room screen and Bo: they do not speak
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await relay?.close();
  });

  async function open(
    b: Browser,
    query: string,
    width = 1280,
    height = 800,
    stats = true,
  ): Promise<Page> {
    const context = await b.newContext({ viewport: { width, height } });
    await context.grantPermissions(['camera', 'microphone']);
    // tsx names functions with a __name helper; page functions are serialized without it.
    await context.addInitScript('window.__name = (f) => f');
    const p = await context.newPage();
    await p.goto(`${base}/?${stats ? 'stats&' : ''}debug&${query}`);
    return p;
  }

  it('the teacher speaks: the room screen plays it (P2P), students only if they opt in (SFU)', async () => {
    const [bT, bA, bOther] = browsers as [Browser, Browser, Browser];
    const screen = await open(bOther, `screen=${room.screenKey}`, 1920, 1080);
    await screen.locator('[data-layout="idle"]').waitFor();
    const teacher = await open(bT, `code=${room.code}`, 1280, 800, false);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    // Ana on a phone (the stats overlay would cover its header there).
    const ana = await open(bA, `code=${room.code}`, 390, 844, false);
    await joinAs(ana, 'Student', 'Ana');
    const bo = await open(bOther, `code=${room.code}`);
    await joinAs(bo, 'Student', 'Bo');
    Object.assign(pages, { screen, teacher, ana, bo });
    const t = (await peerId(teacher)).peerId;

    // Before anything is sent: a local test with a live level meter.
    await teacher.getByRole('button', { name: 'Test microphone and camera' }).click();
    await until(
      'the level meter moves with the tone',
      () => teacher.getByLabel('Microphone level').getAttribute('data-level'),
      (v) => Number(v) > 0.3,
    );
    await teacher.getByRole('button', { name: 'Stop the test' }).click();
    assert.equal(room.shares.size, 0, 'the test sent nothing');

    const started = Date.now();
    await teacher.getByRole('button', { name: '🎤 Microphone on' }).click();
    const onScreen = await hears(screen, t, TEACHER_HZ, 'the screen plays the teacher');
    console.log(
      `teacher's voice heard on the room screen (P2P) after ${Date.now() - started} ms: ${JSON.stringify(onScreen)}`,
    );
    // Voice mode keeps the browser's processing on.
    const settings = (await until(
      'the teacher’s microphone is live',
      () => teacher.evaluate(sound.micSettings),
      (m) => m !== null,
    ))!;
    assert.equal(settings.echoCancellation, true, 'voice mode: echo cancellation on');

    // In-room students play nothing by default: no element plays any sound.
    for (const p of [ana, bo]) {
      assert.equal(await p.locator('audio').count(), 0, 'an in-room device plays nothing');
      assert.equal(
        await p.$$eval('video', (vs) =>
          vs.every((v) => (v as unknown as { muted: boolean }).muted),
        ),
        true,
      );
    }
    // Bo puts on headphones: "sound on this device" plays the teacher, through the SFU.
    await bo.getByLabel('Sound on this device').check();
    const onBo = await hears(bo, t, TEACHER_HZ, 'Bo hears the teacher through the SFU');
    console.log(`teacher's voice heard by a student through the SFU: ${JSON.stringify(onBo)}`);
    const boStats = await bo.$$eval('.stat[data-kind="audio"]', (els) =>
      els.map((e) => [e.getAttribute('data-path'), e.getAttribute('data-codec')]),
    );
    assert.deepEqual(boStats[0], ['sfu', 'opus'], 'the stats overlay shows the audio stream');
    await screenshot(teacher, 'voices-teacher-mic-on');
  });

  it('a student on stage speaks to the room; off stage she cannot; she never hears herself', async () => {
    const { screen, teacher, ana, bo } = pages as Record<string, Page>;
    const a = (await peerId(ana!)).peerId;
    // Off stage: no microphone controls, and the relay refuses her anyway.
    assert.equal(await ana!.getByRole('button', { name: '🎤 Microphone on' }).count(), 0);
    const refused = await ana!.evaluate(sound.forceMicOn);
    assert.equal(refused, 'NOT_ON_STAGE');

    // Invited for voice only.
    await teacher!.getByRole('group', { name: 'Invite for' }).getByLabel('camera').uncheck();
    await teacher!.getByRole('group', { name: 'Invite for' }).getByLabel('screen').uncheck();
    await teacher!
      .locator('li[data-peer="Ana"]')
      .getByRole('button', { name: 'Invite on stage' })
      .click();
    await ana!.getByText('The teacher invites you on stage for: voice.').waitFor();
    await ana!.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();
    assert.equal(
      await ana!.getByRole('button', { name: '📷 Camera on' }).isDisabled(),
      true,
      'the camera was not part of the invitation',
    );
    assert.equal(
      await ana!.getByRole('button', { name: 'Share to the room screen' }).count(),
      0,
      'nor was her screen',
    );
    await ana!.getByRole('button', { name: '🎤 Microphone on' }).click();
    const onScreen = await hears(screen!, a, ANA_HZ, 'the screen plays Ana');
    const onBo = await hears(bo!, a, ANA_HZ, 'Bo (sound on) hears Ana through the SFU');
    console.log(`Ana's voice: screen ${JSON.stringify(onScreen)}, Bo ${JSON.stringify(onBo)}`);
    // Ana turns sound on: she hears the teacher, never herself.
    await ana!.getByLabel('Sound on this device').check();
    const t = (await peerId(teacher!)).peerId;
    await hears(ana!, t, TEACHER_HZ, 'Ana hears the teacher');
    const own = (await listen(ana!, TONES)).filter((h) => h.peer === a);
    assert.deepEqual(own, [], 'a device never plays its own voice');
    await screenshot(ana!, 'voices-student-on-stage-phone');
  });

  it('the teacher mutes Ana: silent everywhere within seconds, and she cannot unmute herself', async () => {
    const { screen, teacher, ana, bo } = pages as Record<string, Page>;
    const a = (await peerId(ana!)).peerId;
    // The row's menu holds the less frequent actions.
    await teacher!.getByRole('button', { name: 'More actions for Ana' }).click();
    const t0 = Date.now();
    await teacher!.getByRole('menuitem', { name: 'Mute mic' }).click();
    for (const [name, p] of [
      ['screen', screen],
      ['Bo', bo],
    ] as const) {
      await until(
        `${name} no longer plays Ana`,
        async () =>
          (await listen(p!, TONES, 500)).filter((h) => h.peer === a && h.mix[ANA_HZ]! > -100),
        (h) => h.length === 0,
        5_000,
        100,
      );
    }
    console.log(`Ana silent on the screen and at Bo ${Date.now() - t0} ms after the mute`);
    await ana!.getByText('The teacher switched your microphone off.').waitFor();
    assert.equal(await ana!.getByRole('button', { name: '🎤 Microphone on' }).isDisabled(), true);
    const forced = await ana!.evaluate(sound.forceMicOn);
    assert.equal(forced, 'MUTED', 'the page refuses before the relay would');
    // She asks; the teacher sees it and allows; her voice is back.
    await ana!.getByRole('button', { name: 'Ask to speak' }).click();
    const row = teacher!.locator('li[data-peer="Ana"]');
    await row.getByText('asks to speak').waitFor();
    await screenshot(teacher!, 'voices-teacher-ask-to-speak');
    await row.getByRole('button', { name: 'Allow' }).click();
    await ana!.getByRole('button', { name: '🎤 Microphone on' }).click();
    await hears(screen!, a, ANA_HZ, 'the screen plays Ana again');
  });

  it('cameras take the stage with the person’s name', async () => {
    const { screen, teacher, ana } = pages as Record<string, Page>;
    await teacher!
      .locator('li[data-peer="Ana"]')
      .getByRole('button', { name: 'Take off stage' })
      .click();
    await ana!.getByRole('button', { name: '🎤 Microphone on' }).waitFor({ state: 'detached' });
    await teacher!.getByRole('button', { name: '📷 Camera on' }).click();
    const tile = screen!.locator('.tile[data-kind="camera"]');
    await tile.waitFor();
    assert.match((await tile.locator('figcaption').textContent()) ?? '', /Ms\. Park.*camera/);
    await until(
      'the screen decodes the camera',
      () =>
        tile.locator('video').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth),
      (w) => w > 0,
    );
    // With a screen share the camera rides in the corner of it.
    await teacher!.getByRole('button', { name: 'Share screen' }).click();
    await screen!.locator('.with-corner .tile.corner[data-kind="camera"]').waitFor();
    await until(
      'the corner camera plays',
      () =>
        screen!
          .locator('.tile.corner video')
          .evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth),
      (w) => w > 0,
    );
    await screenshot(screen!, 'voices-screen-camera-corner');
    await teacher!.getByRole('button', { name: 'Stop sharing' }).click();
    await teacher!.getByRole('button', { name: '📷 Camera off' }).click();
    await teacher!.getByRole('button', { name: '🎤 Microphone off' }).click();
  });
});

/**
 * The violin lesson: two devices, camera and microphone both ways, no room screen and no SFU
 * (P2P both ways). The teacher plays in music mode; their microphone is a stereo file with a
 * 440 Hz tone on the left and 12 kHz on the right.
 */
describe('a 1:1 lesson: camera and microphone both ways, music mode on the teacher’s side', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  const browsers: Browser[] = [];

  before(async () => {
    ({ relay, room, base } = await startHost());
    browsers.push(await launchChromium(fakeMic(toneWav('stereo-440-12k', 440, 12_000))));
    browsers.push(await launchChromium(fakeMic(toneWav(`tone-${ANA_HZ}`, ANA_HZ))));
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await relay?.close();
  });

  async function open(b: Browser): Promise<Page> {
    const context = await b.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['camera', 'microphone']);
    await context.addInitScript('window.__name = (f) => f');
    const p = await context.newPage();
    await p.goto(`${base}/?debug&code=${room.code}`);
    return p;
  }

  it('both decode each other’s camera and hear each other; stereo and 12 kHz survive', async () => {
    const [bT, bA] = browsers as [Browser, Browser];
    const teacher = await open(bT);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    const ana = await open(bA);
    await joinAs(ana, 'Student', 'Ana');
    const t = (await peerId(teacher)).peerId;
    const a = (await peerId(ana)).peerId;
    // Neither is in the other's room: both turn sound on.
    for (const p of [teacher, ana]) await p.getByLabel('Sound on this device').check();
    await teacher
      .locator('li[data-peer="Ana"]')
      .getByRole('button', { name: 'Invite on stage' })
      .click();
    await ana.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();

    await teacher.getByLabel('Music mode').check();
    // The teacher starts, Ana answers once she sees the teacher (both switching on in the same
    // instant can still cross two new connections: see MediaEngine.onSignal).
    await teacher.getByRole('button', { name: '🎤 Microphone on' }).click();
    await teacher.getByRole('button', { name: '📷 Camera on' }).click();
    await until(
      'Ana sees the teacher first',
      () =>
        ana.$$eval('.viewer .tile[data-kind="camera"] video', (vs) =>
          vs.map((v) => (v as unknown as { videoWidth: number }).videoWidth),
        ),
      (ws) => ws.some((w) => w > 0),
    );
    await ana.getByRole('button', { name: '🎤 Microphone on' }).click();
    await ana.getByRole('button', { name: '📷 Camera on' }).click();
    const music = (await until(
      'the teacher’s microphone is live',
      () => teacher.evaluate(sound.micSettings),
      (m) => m !== null,
    ))!;
    assert.deepEqual(
      [music['echoCancellation'], music['noiseSuppression'], music['autoGainControl']],
      [false, false, false],
      'music mode: no voice processing',
    );
    assert.equal(music['channelCount'], 2, 'music mode captures two channels');

    for (const [who, p] of [
      ['Ana sees the teacher', ana],
      ['the teacher sees Ana', teacher],
    ] as const) {
      await until(
        who,
        () =>
          p.$$eval('.viewer .tile[data-kind="camera"] video', (vs) =>
            vs.map((v) => (v as unknown as { videoWidth: number }).videoWidth),
          ),
        (ws) => ws.some((w) => w > 0),
      );
    }
    await hears(teacher, a, ANA_HZ, 'the teacher hears Ana');
    // No SFU here: who speaks comes from the P2P link's audio levels (getStats).
    await teacher.locator('.viewer .tile.speaking[data-kind="camera"]').waitFor();
    // The teacher's instrument at Ana: left 440 Hz, right 12 kHz, each only on its side.
    const FREQS = [440, 12_000];
    const stereo = await until(
      'Ana hears the teacher in stereo',
      async () => (await listen(ana, FREQS)).find((h) => h.peer === t) ?? null,
      (h) =>
        h !== null &&
        h.left[440]! - h.left[12_000]! > CLEAR_DB &&
        h.right[12_000]! - h.right[440]! > CLEAR_DB,
      30_000,
      500,
    );
    console.log(`music mode at the student: ${JSON.stringify(stereo)}`);
    await screenshot(ana, 'voices-lesson-student');
    await screenshot(teacher, 'voices-lesson-teacher');
  });
});
