/**
 * The pre-join check's server end (server-kit/probe), on real sockets and a real mediasoup
 * worker: a check gets its transports (UDP and TCP, for networks without UDP), requests out of
 * order or malformed get stable codes, abusive sockets are closed, and what a check costs is
 * bounded: one at a time per address, a few in all, everything gone with its socket. The cloud
 * lets only holders of a working remote link check its SFU.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { ErrorCode, PROBE_LIMITS, type ProbeReply, type ProbeStart } from '../../protocol';
import { linkedRoom, linkOnline, type LinkedRoom } from '../helpers/cloud';
import { until } from '../helpers/media';
import { startRelay, type TestRelay } from '../helpers/relay';

const SFU = { sfu: { listenIp: '127.0.0.1' } };

/** A probe socket, its replies in order, and how it closed. */
async function probe(url: string, localAddress?: string) {
  const ws = new WebSocket(url, { ...(localAddress && { localAddress }) });
  const replies: ProbeReply[] = [];
  const waiting: ((r: ProbeReply) => void)[] = [];
  ws.on('message', (d) => {
    const r = JSON.parse(String(d)) as ProbeReply;
    const w = waiting.shift();
    if (w) w(r);
    else replies.push(r);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  let i = 0;
  return {
    ws,
    closed,
    call(m: string, p: unknown): Promise<ProbeReply> {
      const answer = new Promise<ProbeReply>((resolve) => {
        const r = replies.shift();
        if (r) resolve(r);
        else waiting.push(resolve);
      });
      ws.send(JSON.stringify({ i: ++i, m, p }));
      return answer;
    },
  };
}

/** The HTTP status an upgrade is refused with. */
async function refusedWith(url: string, localAddress?: string): Promise<number> {
  try {
    const p = await probe(url, localAddress);
    p.ws.close();
    return 101;
  } catch (err) {
    return Number(/HTTP (\d+)/.exec(String(err))?.[1] ?? 0);
  }
}

describe('the pre-join check on the room host', () => {
  let host: TestRelay;
  let url: string;
  before(async () => {
    host = await startRelay({}, SFU);
    url = host.url.replace(/\/ws$/, '/probe');
  });
  after(() => host.stop());

  it('hands out a send and a receive transport, with UDP and TCP candidates', async () => {
    const p = await probe(url);
    const start = await p.call('start', {});
    assert.equal(start.ok, true);
    const r = start.r as ProbeStart;
    assert.ok(r.rtpCapabilities['codecs']);
    for (const t of [r.send, r.recv]) {
      const protocols = t.iceCandidates.map((c) => c['protocol']).sort();
      assert.deepEqual(protocols, ['tcp', 'udp'], 'TCP for networks that drop UDP');
    }
    assert.equal(host.relay.sfu!.probe.running, 1);
    p.ws.close();
    await p.closed;
    await until(
      'the check’s transports gone',
      async () => host.relay.sfu!.probe.running,
      (n) => n === 0,
      5000,
      20,
    );
  });

  it('answers requests out of order or malformed with stable codes', async () => {
    const p = await probe(url);
    const codes = [
      (await p.call('produce', { kind: 'video', rtpParameters: {} })).e?.code,
      (await p.call('consume', { rtpCapabilities: {} })).e?.code,
      (await p.call('teleport', {})).e?.code,
      (await p.call('connect', { transportId: 42 })).e?.code,
      (await p.call('produce', { kind: 'audio', rtpParameters: {} })).e?.code,
    ];
    assert.deepEqual(codes, [
      ErrorCode.INVALID_REQUEST,
      ErrorCode.INVALID_REQUEST,
      ErrorCode.UNKNOWN_METHOD,
      ErrorCode.INVALID_PARAMS,
      ErrorCode.INVALID_PARAMS,
    ]);
    assert.equal((await p.call('start', {})).ok, true);
    const again = await p.call('start', {});
    assert.equal(again.e?.code, ErrorCode.INVALID_REQUEST, 'one check, one pair of transports');
    const other = await p.call('connect', { transportId: 'not-mine', dtlsParameters: {} });
    assert.equal(other.e?.code, ErrorCode.SFU_REJECTED);
    const bad = await p.call('produce', { kind: 'video', rtpParameters: { codecs: 'x' } });
    assert.equal(bad.e?.code, ErrorCode.SFU_REJECTED, 'mediasoup’s refusal, as a code');
    p.ws.close();
    await p.closed;
  });

  it('closes sockets that flood, send binary, garbage or too much', async () => {
    const flood = await probe(url);
    for (let i = 0; i < PROBE_LIMITS.requests + 2; i++) {
      flood.ws.send(JSON.stringify({ i: i + 1, m: 'teleport', p: {} }));
    }
    assert.equal(await flood.closed, 1008);
    const binary = await probe(url);
    binary.ws.send(Buffer.from([1, 2, 3]));
    assert.equal(await binary.closed, 1008);
    const garbage = await probe(url);
    garbage.ws.send('{"i":');
    assert.equal(await garbage.closed, 1007);
    const big = await probe(url);
    big.ws.send('x'.repeat(PROBE_LIMITS.frameBytes + 1));
    assert.equal(await big.closed, 1009);
    await until(
      'all gone',
      async () => host.relay.sfu!.probe.running,
      (n) => n === 0,
      5000,
      20,
    );
  });

  it('runs one check per address and a few in all', async () => {
    const first = await probe(url, '127.0.0.1');
    assert.equal(await refusedWith(url, '127.0.0.1'), 429, 'one at a time per address');
    const others = [];
    for (let n = 2; n <= PROBE_LIMITS.sessions; n++) others.push(await probe(url, `127.0.0.${n}`));
    assert.equal(await refusedWith(url, '127.0.0.200'), 503, 'a few in all');
    // The room goes on meanwhile: a student still joins.
    const ann = await host.student('Ann');
    assert.ok(ann);
    first.ws.close();
    await first.closed;
    await until(
      'a turn back',
      () => refusedWith(url, '127.0.0.1'),
      (s) => s === 101,
      5000,
      50,
    );
    for (const o of others) o.ws.close();
  });
});

describe('the pre-join check on the cloud', () => {
  let linked: LinkedRoom;
  before(async () => {
    linked = await linkedRoom({}, SFU);
    await linkOnline(linked.feed);
  });
  after(() => linked.stop());

  it('is only for holders of a working remote link', async () => {
    const base = linked.cloud.base.replace('http', 'ws');
    assert.equal(await refusedWith(`${base}/probe`), 403, 'no link');
    assert.equal(await refusedWith(`${base}/probe?link=${linked.id}.nope.nope`), 403, 'made up');
    const made = await linked.cloud.api<{ token: string; link: string }>(
      'POST',
      `/api/rooms/${linked.id}/remote-links`,
      {},
    );
    const p = await probe(`${base}/probe?link=${made.body.token}`);
    assert.equal((await p.call('start', {})).ok, true);
    assert.equal(linked.cloud.cloud.sfu!.probe.running, 1);
    p.ws.close();
    await p.closed;
    await linked.cloud.api('DELETE', `/api/rooms/${linked.id}/remote-links`, {});
    assert.equal(await refusedWith(`${base}/probe?link=${made.body.token}`), 403, 'revoked');
  });
});
