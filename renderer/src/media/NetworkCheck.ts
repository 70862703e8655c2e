/**
 * The pre-join network check (protocol/probe.ts), in the page: a video of noise (it does not
 * compress, so it fills what the path gives) is sent to the SFU where this page's media will go
 * and received back; the two connections' own statistics say how long a round trip takes, how
 * much jitter and loss there is, how fast it sends and receives, and how it got there.
 */
import type { types } from 'mediasoup-client';
import {
  verdictOf,
  type CheckFigures,
  type CheckResult,
  type ProbeConsumer,
  type ProbeReply,
  type ProbeStart,
} from '../../../protocol';
import { createLog } from '../log';
import { loadMediasoup } from './SfuPath';
import { selectedRoute } from './stats';

/** How long a check measures once connected, and how long it waits to connect. */
export const CHECK_MS = 5000;
export const CONNECT_MS = 8000;
/**
 * The probe video: noise does not compress, so 640×360 fills 4 Mbit/s (a smaller picture caps
 * the encoder's output near 1 Mbit/s, whatever the path); capped above the HD verdict's rate.
 */
const PROBE = { width: 640, height: 360, fps: 30, maxBitrate: 4_000_000, startKbps: 3000 };

const log = createLog('check');

type Report = Record<string, unknown> & { id: string; type: string; timestamp: number };
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A small request/reply channel over the probe's WebSocket. */
function channel(ws: WebSocket) {
  let next = 1;
  const waiting = new Map<number, { ok(r: unknown): void; fail(e: Error): void }>();
  const closed = new Promise<never>((_, reject) => {
    ws.addEventListener('close', (ev) => reject(new Error(`probe closed (${ev.code})`)));
  });
  closed.catch(() => undefined);
  ws.addEventListener('message', (ev) => {
    const reply = JSON.parse(String(ev.data)) as ProbeReply;
    const w = waiting.get(reply.i);
    waiting.delete(reply.i);
    if (reply.ok) w?.ok(reply.r);
    else w?.fail(new Error(reply.e?.code ?? 'PROBE_FAILED'));
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('probe unreachable')));
  });
  return async <T>(m: string, p: object): Promise<T> => {
    await opened;
    const i = next++;
    const answer = new Promise<T>((ok, fail) => waiting.set(i, { ok: ok as never, fail }));
    ws.send(JSON.stringify({ i, m, p }));
    return Promise.race([answer, closed]);
  };
}

/** A canvas of moving noise as a video track (the caller stops it). */
function noiseTrack(): { track: MediaStreamTrack; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = PROBE.width;
  canvas.height = PROBE.height;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(PROBE.width, PROBE.height);
  const timer = setInterval(() => {
    const data = image.data;
    for (let i = 0; i < data.length; i += 4) {
      const v = (Math.random() * 255) | 0;
      data[i] = v;
      data[i + 1] = v;
      data[i + 2] = v;
      data[i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, 1000 / PROBE.fps);
  const track = canvas.captureStream(PROBE.fps).getVideoTracks()[0]!;
  return {
    track,
    stop: () => {
      clearInterval(timer);
      track.stop();
    },
  };
}

async function reports(transport: types.Transport): Promise<Report[]> {
  return [...(await transport.getStats()).values()] as Report[];
}

/** The probe video's own stream (not mediasoup's bandwidth probation, which is padding). */
const byType = (rs: Report[], type: string) =>
  rs.find((r) => r.type === type && r['kind'] === 'video' && r['mid'] !== 'probator');

/** Figures over a window: between the first and the last sample. */
function figures(first: [Report[], Report[]], last: [Report[], Report[]]): CheckFigures {
  const [send0, recv0] = first;
  const [send1, recv1] = last;
  const out0 = byType(send0, 'outbound-rtp');
  const out1 = byType(send1, 'outbound-rtp');
  const in0 = byType(recv0, 'inbound-rtp');
  const in1 = byType(recv1, 'inbound-rtp');
  const kbps = (a: Report | undefined, b: Report | undefined, field: string) => {
    const dt = (num(b?.timestamp) - num(a?.timestamp)) / 1000;
    return dt > 0 ? Math.round(((num(b?.[field]) - num(a?.[field])) * 8) / dt / 1000) : 0;
  };
  const lost = num(in1?.['packetsLost']) - num(in0?.['packetsLost']);
  const got = num(in1?.['packetsReceived']) - num(in0?.['packetsReceived']);
  const pair = send1.find(
    (r) =>
      r.type === 'candidate-pair' &&
      r['nominated'] === true &&
      typeof r['currentRoundTripTime'] === 'number',
  );
  const route = selectedRoute(send1);
  return {
    route: route?.candidate ?? null,
    transport: route?.protocol ?? null,
    rttMs: pair ? Math.round(num(pair['currentRoundTripTime']) * 1000) : null,
    jitterMs: in1 ? Math.round(num(in1['jitter']) * 1000 * 10) / 10 : null,
    loss: lost + got > 0 ? Math.max(0, lost) / (lost + got) : null,
    upKbps: kbps(out0, out1, 'bytesSent'),
    downKbps: kbps(in0, in1, 'bytesReceived'),
  };
}

const NOT_CONNECTED: CheckFigures = {
  route: null,
  transport: null,
  rttMs: null,
  jitterMs: null,
  loss: null,
  upKbps: 0,
  downKbps: 0,
};

/**
 * Runs one check against the probe at `url` (a WebSocket address) and resolves with what it
 * found; never rejects (a path that does not work is a finding: verdict `none`).
 */
export async function runNetworkCheck(
  url: string,
  target: CheckResult['target'],
  progress: (f: CheckFigures) => void = () => undefined,
): Promise<CheckResult> {
  const ws = new WebSocket(url);
  const call = channel(ws);
  const source = noiseTrack();
  const transports: types.Transport[] = [];
  let found = NOT_CONNECTED;
  try {
    const { Device } = await loadMediasoup();
    const start = await call<ProbeStart>('start', {});
    // factory(): detects the browser where the synchronous constructor cannot (http pages).
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: start.rtpCapabilities as types.RtpCapabilities });
    const connect = (t: types.Transport) =>
      t.on('connect', ({ dtlsParameters }, ok, fail) => {
        call('connect', { transportId: t.id, dtlsParameters }).then(() => ok(), fail);
      });
    const send = device.createSendTransport(start.send as types.TransportOptions);
    const recv = device.createRecvTransport(start.recv as types.TransportOptions);
    transports.push(send, recv);
    connect(send);
    connect(recv);
    send.on('produce', ({ rtpParameters }, ok, fail) => {
      call<{ id: string }>('produce', { kind: 'video', rtpParameters }).then(ok, fail);
    });
    await send.produce({
      track: source.track,
      encodings: [{ maxBitrate: PROBE.maxBitrate }],
      codecOptions: { videoGoogleStartBitrate: PROBE.startKbps },
      stopTracks: false,
    });
    const params = await call<ProbeConsumer>('consume', {
      rtpCapabilities: device.rtpCapabilities,
    });
    await recv.consume({ ...params, rtpParameters: params.rtpParameters as types.RtpParameters });
    const deadline = Date.now() + CONNECT_MS;
    while (send.connectionState !== 'connected' || recv.connectionState !== 'connected') {
      if (Date.now() > deadline) return result(target, NOT_CONNECTED);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Rates over the last two seconds (the estimate ramps up first), sampled twice a second.
    const samples: [Report[], Report[]][] = [[await reports(send), await reports(recv)]];
    const until = Date.now() + CHECK_MS;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      samples.push([await reports(send), await reports(recv)]);
      found = figures(samples[Math.max(0, samples.length - 5)]!, samples.at(-1)!);
      progress(found);
    }
    return result(target, found);
  } catch (err) {
    log.info('the check stopped', err);
    return result(target, found);
  } finally {
    for (const t of transports) t.close();
    source.stop();
    ws.close();
  }
}

function result(target: CheckResult['target'], f: CheckFigures): CheckResult {
  return { target, verdict: verdictOf(f), ...f, at: Date.now() };
}
