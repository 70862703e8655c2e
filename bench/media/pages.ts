/**
 * Functions run inside the pages (serialized by Playwright): a canvas source that stamps its send
 * time as 24 black/white blocks, and a receiver that reads them back in requestVideoFrameCallback.
 * Both pages run in one browser on one clock: times are ms since a shared epoch.
 */

export interface SenderArgs {
  epoch: number;
  width: number;
  height: number;
  codec: string;
  block: number;
}

/** Starts the canvas source (30 fps) as `window.__benchStream`, for either sender below. */
export function startCanvasSource(a: SenderArgs): void {
  const w = window as unknown as { __benchTimer?: number; __benchStream?: MediaStream };
  const canvas = document.createElement('canvas');
  canvas.width = a.width;
  canvas.height = a.height;
  const ctx = canvas.getContext('2d')!;
  let frame = 0;
  const draw = () => {
    const t = Math.round(performance.timeOrigin + performance.now() - a.epoch);
    ctx.fillStyle = '#2d5c8a';
    ctx.fillRect(0, 0, a.width, a.height);
    // Text and motion, like a slide with a moving pointer.
    ctx.fillStyle = '#fff';
    ctx.font = `${Math.round(a.height / 20)}px sans-serif`;
    for (let line = 0; line < 8; line++) {
      ctx.fillText(
        `Line ${line}: frame ${frame}, t=${t} ms`,
        60,
        a.height / 4 + line * (a.height / 14),
      );
    }
    ctx.fillRect((frame * 13) % a.width, a.height - 120, 80, 80);
    for (let i = 0; i < 24; i++) {
      ctx.fillStyle = (t >> i) & 1 ? '#fff' : '#000';
      ctx.fillRect(i * a.block, 0, a.block, a.block);
    }
    frame++;
  };
  draw();
  if (w.__benchTimer) clearInterval(w.__benchTimer);
  w.__benchTimer = window.setInterval(draw, 1000 / 30);
  w.__benchStream = canvas.captureStream(30);
}

/** Shares the canvas source through the app; returns the share time and id. */
export async function startCanvasShare(
  a: SenderArgs,
): Promise<{ t0: number; shareId: string | null }> {
  const w = window as unknown as {
    lectern: {
      app: {
        shares: {
          setCodec(c: string): void;
          shareStream(s: MediaStream, p: string): Promise<string | null>;
        };
      };
    };
    __benchStream: MediaStream;
  };
  w.lectern.app.shares.setCodec(a.codec);
  // The canvas stands for a screen capture, which Chromium encodes as screen content; a
  // canvas track is encoded so only with this hint.
  w.__benchStream.getVideoTracks()[0]!.contentHint = 'detail';
  const t0 = performance.timeOrigin + performance.now() - a.epoch;
  const shareId = await w.lectern.app.shares.shareStream(w.__benchStream, 'auto');
  return { t0, shareId };
}

/**
 * Whether the ready link's placeholder picture went through: on the teacher's page, sent on a
 * link (its encoder is made); on the room screen's, decoded on its newest link (the decoder is).
 */
export async function primedLink(side: 'sent' | 'decoded'): Promise<boolean> {
  const w = window as unknown as { lectern: { app: { engine: unknown } } };
  const engine = w.lectern.app.engine as { links: Map<string, { pc: RTCPeerConnection }> };
  const links = [...engine.links.values()];
  for (const link of side === 'sent' ? links : links.slice(-1)) {
    for (const s of (await link.pc.getStats()).values()) {
      const x = s as Record<string, number | string>;
      if (x['kind'] !== 'video') continue;
      if (side === 'sent' && x['type'] === 'outbound-rtp' && Number(x['framesSent']) > 0) {
        return true;
      }
      if (side === 'decoded' && x['type'] === 'inbound-rtp' && Number(x['framesDecoded']) > 0) {
        return true;
      }
    }
  }
  return false;
}

/**
 * The baseline: a bare RTCPeerConnection with the browser's defaults (no codec choice, no
 * bitrate or resolution settings) sends the same canvas source. This side makes the offer,
 * once its ICE candidates are gathered; returns the share time and the offer.
 */
export async function bareOffer(a: { epoch: number }): Promise<{ t0: number; sdp: string }> {
  const w = window as unknown as { __benchStream: MediaStream; __benchPc?: RTCPeerConnection };
  const t0 = performance.timeOrigin + performance.now() - a.epoch;
  const pc = new RTCPeerConnection();
  w.__benchPc = pc;
  const track = w.__benchStream.getVideoTracks()[0]!;
  pc.addTrack(track, w.__benchStream);
  await pc.setLocalDescription(await pc.createOffer());
  while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 5));
  return { t0, sdp: pc.localDescription!.sdp };
}

/** The baseline's receiving page: answers, and shows the stream in a video (`.bare video`). */
export async function bareAnswer(offer: string): Promise<string> {
  const pc = new RTCPeerConnection();
  (window as unknown as { __benchPc: RTCPeerConnection }).__benchPc = pc;
  const box = document.createElement('div');
  box.className = 'bare';
  const video = document.createElement('video');
  Object.assign(video, { autoplay: true, muted: true, playsInline: true });
  video.style.width = '100vw';
  box.append(video);
  document.body.append(box);
  pc.ontrack = (e) => {
    video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
  };
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 5));
  return pc.localDescription!.sdp;
}

/** The baseline's sending page takes the answer. */
export async function bareAccept(answer: string): Promise<void> {
  const w = window as unknown as { __benchPc: RTCPeerConnection };
  await w.__benchPc.setRemoteDescription({ type: 'answer', sdp: answer });
}

/** Ends the baseline's connection on either page. */
export function bareClose(): void {
  (window as unknown as { __benchPc?: RTCPeerConnection }).__benchPc?.close();
}

export interface ReceiverArgs {
  /** The video to watch ('.tile video' in the app). */
  selector: string;
  epoch: number;
  width: number;
  height: number;
  block: number;
  seconds: number;
  /**
   * The window opens at full resolution, or this long after the first frame if that never
   * comes (default 3 s).
   */
  openAfterMs?: number;
}

export interface ReceiverResult {
  first: number | null;
  fullRes: number | null;
  /** Callbacks run in the window (each reads one frame's stamp). */
  frames: number;
  /**
   * Frames the compositor presented in the window (`presentedFrames`): a callback that runs
   * late misses frames that were shown all the same.
   */
  presented: number;
  measuredFrom: number | null;
  latencies: number[];
  unreadable: number;
  sizes: Record<string, number>;
  /** Black pictures before the first frame (not counted as the first frame). */
  black: number;
  /** How long after its presentation the first frame's callback ran (the page was busy). */
  firstCallbackLag: number | null;
}

/**
 * Waits for the share's video, then records every presented frame for `seconds`. A frame's
 * time is its presentation (`presentationTime`: handed to the compositor), not when its
 * callback ran: a page busy laying out a new tile runs callbacks late, and the picture does not
 * wait for them.
 */
export async function measureReceiver(a: ReceiverArgs): Promise<ReceiverResult> {
  const now = () => performance.timeOrigin + performance.now() - a.epoch;
  let video: HTMLVideoElement | null = null;
  while (!video) {
    const v = document.querySelector<HTMLVideoElement>(a.selector);
    if (v && v.srcObject) video = v;
    else await new Promise((r) => setTimeout(r, 5));
  }
  const probe = document.createElement('canvas');
  probe.width = 24 * 8;
  probe.height = 8;
  const ctx = probe.getContext('2d', { willReadFrequently: true })!;
  const r: ReceiverResult = {
    first: null,
    fullRes: null,
    frames: 0,
    presented: 0,
    measuredFrom: null,
    latencies: [],
    unreadable: 0,
    sizes: {},
    black: 0,
    firstCallbackLag: null,
  };
  let end = Infinity;
  let lastPresented: number | null = null;
  const blank = document.createElement('canvas');
  blank.width = blank.height = 8;
  const blankCtx = blank.getContext('2d', { willReadFrequently: true })!;
  /** A black picture is not the share (the sender's placeholder, were it ever shown). */
  const black = () => {
    blankCtx.drawImage(video!, 0, 0, 8, 8);
    return blankCtx.getImageData(0, 0, 8, 8).data.every((v, i) => i % 4 === 3 || v < 24);
  };
  const onFrame = (_: number, meta: VideoFrameCallbackMetadata) => {
    const t = performance.timeOrigin + meta.presentationTime - a.epoch;
    if (r.first === null && black()) {
      r.black++;
      video!.requestVideoFrameCallback(onFrame);
      return;
    }
    if (r.first === null) {
      r.first = t;
      r.firstCallbackLag = now() - t;
    }
    if (r.fullRes === null && meta.width >= a.width && meta.height >= a.height) r.fullRes = t;
    // The window opens at full resolution, or a while after the first frame if that never comes.
    if (r.measuredFrom === null && (r.fullRes !== null || t - r.first >= (a.openAfterMs ?? 3000))) {
      r.measuredFrom = t;
      end = t + a.seconds * 1000;
    }
    if (r.measuredFrom !== null && t <= end) {
      r.frames++;
      r.presented += lastPresented === null ? 1 : meta.presentedFrames - lastPresented;
      lastPresented = meta.presentedFrames;
      r.sizes[`${meta.width}x${meta.height}`] = (r.sizes[`${meta.width}x${meta.height}`] ?? 0) + 1;
      const sw = (meta.width * 24 * a.block) / a.width;
      const sh = (meta.height * a.block) / a.height;
      ctx.drawImage(video!, 0, 0, sw, sh, 0, 0, 24 * 8, 8);
      const d = ctx.getImageData(0, 0, 24 * 8, 8).data;
      let sent = 0;
      let clear = true;
      for (let i = 0; i < 24; i++) {
        const o = (4 * 24 * 8 + i * 8 + 4) * 4;
        const lum = (d[o]! + d[o + 1]! + d[o + 2]!) / 3;
        if (lum > 96 && lum < 160) clear = false;
        if (lum >= 128) sent |= 1 << i;
      }
      const latency = t - sent;
      if (clear && latency >= 0 && latency < 5000) r.latencies.push(latency);
      else r.unreadable++;
    }
    if (t <= end) video!.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  const deadline = now() + 15_000 + (a.openAfterMs ?? 0) + a.seconds * 1000;
  while (now() < Math.min(end, deadline)) await new Promise((res) => setTimeout(res, 100));
  return r;
}

interface Lectern {
  app: { shares: { stop(id: string): Promise<void> } };
  store: { getState(): { stats: { direction: string; codec: string; width: number }[] } };
}

/** The screen's current inbound video stats (getStats, sampled each second by the app). */
export function inboundStats(): { direction: string; codec: string; width: number }[] {
  const { lectern } = window as unknown as { lectern: Lectern };
  return lectern.store.getState().stats.filter((s) => s.direction === 'in' && s.width > 0);
}

export async function stopShare(id: string): Promise<void> {
  const { lectern } = window as unknown as { lectern: Lectern };
  await lectern.app.shares.stop(id);
}

/**
 * Where a first frame's time goes, on the receiving page of the app: when the newest P2P link
 * appears, has the share's offer and its answer, is ICE-connected, DTLS-connected (those two
 * and its appearance only for a link not already connected when the watch began),
 * and when its inbound video has a first packet, a first assembled frame and a first decoded
 * frame (getStats every 10 ms), counted from the watch's start (a ready link's spare carried
 * its placeholder's frame), with the key frames decoded by then (`keyFrames`: none when the
 * sender's encoder was primed). Times on the bench's clock, like `t0`.
 */
export async function watchPhases(a: {
  epoch: number;
  ms: number;
}): Promise<Record<string, number>> {
  const now = () => performance.timeOrigin + performance.now() - a.epoch;
  const w = window as unknown as {
    lectern: { app: { engine: unknown } };
  };
  const engine = w.lectern.app.engine as { links: Map<string, { pc: RTCPeerConnection }> };
  // A link made ready before the share (connected at join) counts from the share's offer.
  const ready = [...engine.links.values()].filter((l) => l.pc.connectionState === 'connected');
  // Its spare transceivers were negotiated at join: a share put on them makes no offer at all.
  const before = new Map(ready.map((l) => [l, l.pc.remoteDescription?.sdp]));
  const out: Record<string, number> = {};
  const end = now() + a.ms;
  let lastStats = 0;
  // Counts from before the share (a ready link's spare carried its placeholder's one frame).
  const base = new Map<string, Record<string, number>>();
  const more = (x: Record<string, number | string>, k: string) =>
    Number(x[k]) > (base.get(String(x['id']))?.[k] ?? 0);
  for (const l of ready) {
    for (const s of (await l.pc.getStats()).values()) {
      const x = s as Record<string, number>;
      base.set(String(x['id']), { ...x });
    }
  }
  while (now() < end && out['decoded'] === undefined) {
    const link = [...engine.links.values()].pop();
    if (link) {
      const { pc } = link;
      if (!ready.includes(link)) out['link'] ??= now();
      const remote = pc.remoteDescription?.sdp;
      if (remote?.includes('m=video') && remote !== before.get(link)) {
        out['offer'] ??= now();
        if (pc.localDescription?.type === 'answer') out['answer'] ??= now();
      }
      if (!ready.includes(link)) {
        if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') {
          out['ice'] ??= now();
        }
        if (pc.connectionState === 'connected') out['dtls'] ??= now();
      }
      if (now() - lastStats >= 10) {
        lastStats = now();
        for (const s of (await pc.getStats()).values()) {
          const x = s as Record<string, number | string>;
          if (x['type'] !== 'inbound-rtp' || x['kind'] !== 'video') continue;
          if (more(x, 'packetsReceived')) out['packet'] ??= now();
          if (more(x, 'framesReceived')) out['assembled'] ??= now();
          if (more(x, 'framesDecoded')) {
            out['decoded'] ??= now();
            // Key frames in the share's first frames: none when the sender's encoder was primed.
            out['keyFrames'] =
              Number(x['keyFramesDecoded']) -
              (base.get(String(x['id']))?.['keyFramesDecoded'] ?? 0);
          }
        }
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return out;
}

/**
 * The sending side of the same: when the newest link's video sender has its first frame
 * encoded (how long that encode took, and the key frame requests it had), its first packet and
 * first whole frame sent.
 */
export async function watchSender(a: {
  epoch: number;
  ms: number;
}): Promise<Record<string, number>> {
  const now = () => performance.timeOrigin + performance.now() - a.epoch;
  const w = window as unknown as { lectern: { app: { engine: unknown } } };
  const engine = w.lectern.app.engine as { links: Map<string, { pc: RTCPeerConnection }> };
  const out: Record<string, number> = {};
  const end = now() + a.ms;
  const base = new Map<string, Record<string, number>>();
  const stat = (x: Record<string, number | string>, k: string) =>
    Number(x[k] ?? 0) - (base.get(String(x['id']))?.[k] ?? 0);
  for (const l of engine.links.values()) {
    for (const s of (await l.pc.getStats()).values()) {
      const x = s as Record<string, number>;
      base.set(String(x['id']), { ...x });
    }
  }
  while (now() < end && out['frameSent'] === undefined) {
    const link = [...engine.links.values()].pop();
    if (link) {
      for (const s of (await link.pc.getStats()).values()) {
        const x = s as Record<string, number | string>;
        if (x['type'] !== 'outbound-rtp' || x['kind'] !== 'video') continue;
        if (stat(x, 'framesEncoded') > 0 && out['encoded'] === undefined) {
          out['encoded'] = now();
          out['encodeMs'] = 1000 * stat(x, 'totalEncodeTime');
          out['pli'] = stat(x, 'pliCount') + stat(x, 'firCount');
        }
        if (stat(x, 'packetsSent') > 0) out['sent'] ??= now();
        if (stat(x, 'framesSent') > 0) out['frameSent'] ??= now();
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return out;
}
