import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRelay, rejectsWith, type TestRelay } from '../helpers/relay';

/** The SFU's relay-side checks, with a real mediasoup worker and real `ws` clients. */
describe('SFU calls through the relay', () => {
  let r: TestRelay;
  before(async () => {
    r = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
    assert.equal(await r.relay.startSfu(), true, 'the worker starts');
  });
  after(() => r.stop());

  it('announces the SFU, gives capabilities and transports on 127.0.0.1', async () => {
    const student = await r.student('Ana');
    const snap = await student.request('snapshot', {});
    assert.equal(snap.sfu, true);
    const { rtpCapabilities } = await student.request('sfu.capabilities', {});
    const codecs = (rtpCapabilities.codecs as { mimeType: string }[]).map((c) => c.mimeType);
    assert.ok(codecs.includes('video/VP8') && codecs.includes('video/H264'), codecs.join());
    const t = await student.request('sfu.createTransport', { direction: 'recv' });
    assert.ok(t.iceCandidates.length > 0);
    for (const c of t.iceCandidates) assert.equal(c.ip ?? c.address, '127.0.0.1');
  });

  it('refuses what a device may not do, with stable codes, and keeps serving', async () => {
    const teacher = await r.teacher();
    const student = await r.student('Bo');
    const { shareId } = await teacher.request('share.start', {
      kind: 'screen',
      label: 'desk',
      preset: 'auto',
    });
    const send = await student.request('sfu.createTransport', { direction: 'send' });
    // Publishing someone else's share.
    await rejectsWith(
      student.request('sfu.produce', {
        transportId: send.id,
        shareId,
        kind: 'video',
        rtpParameters: {},
      }),
      'FORBIDDEN',
    );
    // Another device's transport, an unknown producer, garbage DTLS parameters.
    const tSend = await teacher.request('sfu.createTransport', { direction: 'send' });
    await rejectsWith(
      student.request('sfu.connectTransport', { transportId: tSend.id, dtlsParameters: {} }),
      'SFU_REJECTED',
    );
    const recv = await student.request('sfu.createTransport', { direction: 'recv' });
    await rejectsWith(
      student.request('sfu.consume', {
        transportId: recv.id,
        producerId: 'nope',
        rtpCapabilities: {},
      }),
      'SFU_REJECTED',
    );
    await rejectsWith(
      student.request('sfu.connectTransport', {
        transportId: recv.id,
        dtlsParameters: { role: 'nonsense', fingerprints: 'x' },
      }),
      'SFU_REJECTED',
    );
    // Teacher producing with bad RTP parameters: refused, not crashed.
    await rejectsWith(
      teacher.request('sfu.produce', {
        transportId: tSend.id,
        shareId,
        kind: 'video',
        rtpParameters: { codecs: 'VP8' },
      }),
      'SFU_REJECTED',
    );
    // Per-device caps.
    for (let i = 0; i < 2; i++) await student.request('sfu.createTransport', { direction: 'recv' });
    await rejectsWith(student.request('sfu.createTransport', { direction: 'recv' }), 'FORBIDDEN');
    // Everything still answers, and the worker is the same one.
    assert.ok((await student.request('ping', { t: 1 })).t === 1);
    assert.equal(r.relay.sfu!.restarts, 0);
  });

  it('a producer its sender closed leaves its share, and the share can be published again', async () => {
    const teacher = await r.teacher();
    const student = await r.student('Di');
    const { shareId } = await teacher.request('share.start', {
      kind: 'screen',
      label: 'desk',
      preset: 'auto',
    });
    const send = await teacher.request('sfu.createTransport', { direction: 'send' });
    const rtpParameters = {
      codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
      encodings: [{ ssrc: 11111111 }],
    };
    const produce = () =>
      teacher.request('sfu.produce', {
        transportId: send.id,
        shareId,
        kind: 'video',
        rtpParameters,
      });
    const shareOf = async () =>
      (await student.request('snapshot', {})).shares.find((s) => s.id === shareId);
    const first = await produce();
    assert.equal((await shareOf())?.producerId, first.producerId);
    // The teacher stops publishing (the last student on the SFU left): a student who comes
    // now is not sent to a producer that is gone.
    await teacher.request('sfu.closeProducer', { producerId: first.producerId });
    const updated = await student.waitFor('shareUpdated', (p) => p.share.id === shareId);
    assert.equal(updated.share.producerId, undefined);
    assert.equal((await shareOf())?.producerId, undefined);
    // Someone needs it again: the same share is published anew.
    const second = await produce();
    assert.notEqual(second.producerId, first.producerId);
    assert.equal((await shareOf())?.producerId, second.producerId);
  });

  it('a host without a worker runs without an SFU and says so', async () => {
    const other = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
    try {
      // A worker that cannot start (as with no binary on the machine): SFU off, P2P for
      // everyone, SFU calls say SFU_UNAVAILABLE.
      const sfu = other.relay.sfu!;
      (sfu as unknown as { worker(): Promise<never> }).worker = () =>
        Promise.reject(new Error('spawn ENOENT'));
      assert.equal(await other.relay.startSfu(), false);
      const s = await other.student('Cy');
      assert.equal((await s.request('snapshot', {})).sfu, undefined);
      await rejectsWith(s.request('sfu.capabilities', {}), 'SFU_UNAVAILABLE');
    } finally {
      await other.stop();
    }
  });
});
