/**
 * Functions run inside the pages (serialized by Playwright; type-checked with the web
 * tsconfig; each is serialized alone). All pages live in one browser process, so
 * `performance.timeOrigin + performance.now()` is one clock for all of them.
 *
 * Sender: a WebAudio "microphone" that beeps (1 kHz, 60 ms) every `periodMs`, and a canvas
 * "camera" that is white during each beep and black otherwise, shared through the app as a
 * teacher's microphone and camera are: two shares. Both ends detect audio onsets with the same
 * AudioWorklet, which reads the wall clock when the render thread processes the block
 * (Date.now(): the same clock as `performance.timeOrigin + performance.now()`, to the
 * millisecond). Receiver: also the presentation time of the first white frame after each beat
 * (requestVideoFrameCallback).
 */

import type { Received } from './received';

interface App {
  lectern: {
    app: {
      shares: {
        shareStream(
          s: MediaStream,
          preset: 'auto',
          o: { kind: 'camera' | 'mic'; label: string },
        ): Promise<string | null>;
      };
      engine: { streamFor(id: string): MediaStream | undefined };
      av: { setSound(on: boolean): void };
    };
    store: {
      getState(): {
        shares: Record<string, { peerId: string; streamId?: string; audio: boolean; kind: string }>;
        stats: { kind: string; direction: string; path: string; concealedRatio: number | null }[];
      };
    };
  };
}

/**
 * Starts beeping and flashing, shared as the app shares a person's microphone and camera: two
 * shares (so the sound is not lip-synced to the picture, as it is not for a real voice). Resolves
 * with the two share ids; beep times go to window.__beeps.
 */
export async function startBeeper(a: { periodMs: number; seconds: number }): Promise<string[]> {
  const now = () => performance.timeOrigin + performance.now();
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  await ctx.resume();
  console.log(
    `[bench] sender's audio: base latency ${ctx.baseLatency * 1000} ms, output ${ctx.outputLatency * 1000} ms`,
  );
  const osc = ctx.createOscillator();
  osc.frequency.value = 1000;
  const gain = ctx.createGain();
  gain.gain.value = 0;
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  osc.start();
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const g = canvas.getContext('2d')!;
  const beeps: number[] = [];
  (window as unknown as { __beeps: number[] }).__beeps = beeps;
  const beepMs = 60;
  // Each beep's time is when the render thread produced it, read by the same onset detector
  // the receivers use (bench-onsets.js, wall clock): one clock for both ends.
  await ctx.audioWorklet.addModule('/bench-onsets.js');
  const onsets = new AudioWorkletNode(ctx, 'onsets');
  gain.connect(onsets);
  onsets.port.onmessage = (e: MessageEvent<number>) => beeps.push(e.data);
  const count = Math.floor((a.seconds * 1000) / a.periodMs);
  let sentCount = 0;
  const timer = setInterval(() => {
    if (sentCount++ >= count) {
      clearInterval(timer);
      return;
    }
    const t = ctx.currentTime + 0.1;
    gain.gain.setValueAtTime(0.5, t);
    gain.gain.setValueAtTime(0, t + beepMs / 1000);
  }, a.periodMs);
  const draw = () => {
    const n = now();
    const lit = beeps.some((b) => n >= b && n < b + beepMs);
    g.fillStyle = lit ? '#fff' : '#000';
    g.fillRect(0, 0, canvas.width, canvas.height);
    requestAnimationFrame(draw);
  };
  draw();
  const video = canvas.captureStream(60).getVideoTracks()[0]!;
  const shares = (window as unknown as App).lectern.app.shares;
  const mic = await shares.shareStream(dest.stream, 'auto', { kind: 'mic', label: 'bench' });
  const camera = await shares.shareStream(new MediaStream([video]), 'auto', {
    kind: 'camera',
    label: 'bench',
  });
  return [mic ?? '', camera ?? ''];
}

export function myPeerId(): string {
  const w = window as unknown as {
    lectern: { store: { getState(): { me: { peerId: string } | null } } };
  };
  return w.lectern.store.getState().me?.peerId ?? '';
}

/** The beep times the sender scheduled (wall clock, ms). */
export function beepTimes(): number[] {
  return (window as unknown as { __beeps: number[] }).__beeps;
}

/**
 * Listens to `peer`'s share for `seconds`: audio onsets (AudioWorklet, RMS over 128-sample
 * blocks crossing a threshold after 100 ms of quiet) and white-frame onsets (rVFC), both on
 * the wall clock; the mean concealment ratio of received audio from the app's stats sampler.
 */
export async function measureAv(a: { peer: string; seconds: number }): Promise<{
  audio: number[];
  video: number[];
  concealed: number[];
  buffers: Received[];
}> {
  const w = window as unknown as App;
  w.lectern.app.av.setSound(true);
  const find = (kind: string) => {
    const s = Object.values(w.lectern.store.getState().shares).find(
      (x) => x.peerId === a.peer && x.kind === kind && x.streamId,
    );
    return s?.streamId ? w.lectern.app.engine.streamFor(s.streamId) : undefined;
  };
  let sound: MediaStream | undefined;
  let picture: MediaStream | undefined;
  for (let i = 0; i < 200 && !(sound && picture); i++) {
    await new Promise((r) => setTimeout(r, 100));
    const m = find('mic');
    const c = find('camera');
    if (m && m.getAudioTracks().length > 0) sound = m;
    if (c && c.getVideoTracks().length > 0) picture = c;
  }
  if (!sound || !picture) throw new Error('no microphone and camera from the sender');
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  await ctx.resume();
  // The app's CSP allows scripts of its own origin only: the bench serves this one there.
  await ctx.audioWorklet.addModule('/bench-onsets.js');
  const node = new AudioWorkletNode(ctx, 'onsets');
  ctx.createMediaStreamSource(new MediaStream(sound.getAudioTracks())).connect(node);
  const audio: number[] = [];
  node.port.onmessage = (e: MessageEvent<number>) => audio.push(e.data);
  // Chrome feeds WebAudio from a remote track only while a media element plays it.
  const sink = document.createElement('audio');
  sink.srcObject = new MediaStream(sound.getAudioTracks());
  sink.muted = true;
  void sink.play();

  const el = document.createElement('video');
  el.muted = true;
  el.srcObject = new MediaStream(picture.getVideoTracks());
  document.body.append(el);
  await el.play();
  const probe = document.createElement('canvas');
  probe.width = 8;
  probe.height = 8;
  const pg = probe.getContext('2d', { willReadFrequently: true })!;
  const video: number[] = [];
  let lit = false;
  const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
    pg.drawImage(el, 0, 0, 8, 8);
    const px = pg.getImageData(0, 0, 8, 8).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += px[i]!;
    const bright = sum / (px.length / 4) > 128;
    if (bright && !lit) video.push(performance.timeOrigin + meta.presentationTime);
    lit = bright;
    el.requestVideoFrameCallback(onFrame);
  };
  el.requestVideoFrameCallback(onFrame);

  const concealed: number[] = [];
  const end = performance.now() + a.seconds * 1000;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 1000));
    for (const s of w.lectern.store.getState().stats) {
      if (s.kind === 'audio' && s.direction === 'in' && s.concealedRatio !== null) {
        concealed.push(s.concealedRatio);
      }
    }
  }
  await ctx.close();
  el.remove();
  // Where the receiver's time goes, per received stream: its jitter buffer and processing.
  const engine = w.lectern.app.engine as unknown as {
    links: Map<string, { pc: RTCPeerConnection }>;
    sfu: { transports(): Promise<{ getStats(): Promise<RTCStatsReport> }[]> };
  };
  const reports = [
    ...(await Promise.all([...engine.links.values()].map((l) => l.pc.getStats()))),
    ...(await Promise.all((await engine.sfu.transports()).map((t) => t.getStats()))),
  ];
  const buffers = reports.flatMap((r) =>
    [...r.values()]
      // Streams that decoded something (not the SFU's bandwidth probe, which has no codec).
      .filter((x: Record<string, unknown>) => x['type'] === 'inbound-rtp' && x['codecId'])
      .map((x: Record<string, number | string>) => {
        // Chromium's totals, as a mean per sample (sound) or frame (picture) the buffer emitted.
        const emitted = Number(x['jitterBufferEmittedCount'] ?? x['framesDecoded']);
        const mean = (total: string) => (1000 * Number(x[total] ?? 0)) / Math.max(1, emitted);
        return {
          kind: String(x['kind']),
          codec: String(
            (r.get(String(x['codecId'])) as { mimeType?: string } | undefined)?.mimeType,
          ),
          arrivalJitterMs: 1000 * Number(x['jitter'] ?? 0),
          processingMs: mean('totalProcessingDelay'),
          delayMs: mean('jitterBufferDelay'),
          targetMs: mean('jitterBufferTargetDelay'),
          minimumMs: mean('jitterBufferMinimumDelay'),
        };
      }),
  );
  return { audio, video, concealed, buffers };
}
