import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableCodecs, orderCodecs, planEncoding } from '../../renderer/src/media/encoding';
import { preferredLayer, simulcastEncodings } from '../../renderer/src/media/layers';
import {
  P2P_STUDENT_LIMIT,
  sharesToReceive,
  shareTargets,
  lessonPartner,
  type Reach,
  shouldPublish,
} from '../../renderer/src/media/policy';
import { summarize } from '../../renderer/src/media/stats';
import type { PeerInfo } from '../../protocol';

describe('encoding plan', () => {
  it('raises the bitrate well above 2.5 Mbps on a LAN, more for 4K and 60 fps', () => {
    const sharp1080 = planEncoding('sharp', 1920, 1080);
    assert.equal(sharp1080.contentHint, 'detail');
    assert.equal(sharp1080.degradationPreference, 'maintain-resolution');
    assert.ok(
      sharp1080.maxBitrate >= 6_000_000 && sharp1080.maxBitrate <= 8_000_000,
      String(sharp1080.maxBitrate),
    );
    const smooth1080 = planEncoding('smooth', 1920, 1080);
    assert.equal(smooth1080.contentHint, 'motion');
    assert.equal(smooth1080.degradationPreference, 'maintain-framerate');
    assert.equal(smooth1080.maxFramerate, 60);
    assert.ok(smooth1080.maxBitrate > sharp1080.maxBitrate);
    const sharp4k = planEncoding('sharp', 3840, 2160);
    assert.ok(sharp4k.maxBitrate > 20_000_000);
    assert.ok(planEncoding('auto', 320, 240).maxBitrate >= 1_500_000, 'floor');
    assert.ok(planEncoding('smooth', 7680, 4320).maxBitrate <= 25_000_000, 'cap');
  });

  it('puts the preferred codec first and keeps the rest in order', () => {
    const codecs = [
      { mimeType: 'video/VP8' },
      { mimeType: 'video/rtx' },
      { mimeType: 'video/H264', sdpFmtpLine: 'a' },
      { mimeType: 'video/H264', sdpFmtpLine: 'b' },
      { mimeType: 'video/AV1' },
    ];
    assert.deepEqual(
      orderCodecs(codecs, 'H264').map((c) => c.mimeType + (c.sdpFmtpLine ?? '')),
      ['video/H264a', 'video/H264b', 'video/VP8', 'video/rtx', 'video/AV1'],
    );
    assert.deepEqual(availableCodecs(codecs), ['VP8', 'H264', 'AV1']);
  });
});

const peer = (id: string, role: PeerInfo['role'], online = true): PeerInfo => ({
  id,
  name: id,
  role,
  hand: false,
  stage: 'off',
  online,
});

describe('P2P share policy', () => {
  it('voices: a student on stage reaches the teacher (P2P without an SFU, through it with one) and classmates through the SFU', () => {
    const onStage = { ...peer('a', 'student'), stage: 'on' as const };
    const peers = [peer('s1', 'screen'), peer('t', 'teacher'), onStage, peer('b', 'student')];
    const a = { peerId: 'a', role: 'student' } as const;
    assert.deepEqual(shareTargets(a, peers), ['s1', 't'], 'a 1:1 lesson goes both ways');
    assert.deepEqual(shareTargets(a, peers, true), ['s1']);
    assert.equal(shouldPublish(a, peers, true), true);
    const byId = Object.fromEntries(peers.map((p) => [p.id, p]));
    const mic = {
      id: 'm',
      peerId: 'a',
      kind: 'mic',
      label: '',
      preset: 'auto',
      audio: true,
      streamId: 'sm',
      audioProducerId: 'pa',
    } as const;
    const want = [{ producerId: 'pa', streamId: 'sm', kind: 'audio' }];
    assert.deepEqual(sharesToReceive({ peerId: 'b', role: 'student' }, byId, [mic], true), want);
    assert.deepEqual(sharesToReceive({ peerId: 't', role: 'teacher' }, byId, [mic], true), want);
    assert.deepEqual(sharesToReceive(a, byId, [mic], true), [], 'never my own voice');
    const muted = { ...byId, a: { ...onStage, muted: { audio: true, video: false } } };
    assert.deepEqual(
      sharesToReceive({ peerId: 'b', role: 'student' }, muted, [mic], true),
      [],
      'a muted student is not received',
    );
  });

  it('a student off stage sends to the screens only; a teacher also to few students', () => {
    const peers = [
      peer('s1', 'screen'),
      peer('t', 'teacher'),
      peer('a', 'student'),
      peer('b', 'student'),
      peer('off', 'student', false),
    ];
    assert.deepEqual(shareTargets({ peerId: 'a', role: 'student' }, peers), ['s1']);
    assert.deepEqual(shareTargets({ peerId: 't', role: 'teacher' }, peers), ['s1', 'a', 'b']);
  });

  it('past the P2P limit the teacher sends to the screens only (the SFU serves students)', () => {
    const students = Array.from({ length: P2P_STUDENT_LIMIT + 1 }, (_, i) =>
      peer(`st${i}`, 'student'),
    );
    assert.deepEqual(
      shareTargets({ peerId: 't', role: 'teacher' }, [peer('s1', 'screen'), ...students]),
      ['s1'],
    );
  });

  it('with an SFU: P2P to screens only; a teacher publishes when students are there', () => {
    const t = { peerId: 't', role: 'teacher' } as const;
    const peers = [peer('s1', 'screen'), peer('t', 'teacher'), peer('a', 'student')];
    assert.deepEqual(shareTargets(t, peers, true), ['s1']);
    assert.equal(shouldPublish(t, peers, true), true);
    assert.equal(shouldPublish(t, peers, false), false, 'no SFU on this host');
    assert.equal(
      shouldPublish(t, [peer('s1', 'screen'), peer('a', 'student', false)], true),
      false,
    );
    assert.equal(shouldPublish({ peerId: 'a', role: 'student' }, peers, true), false);
  });

  it('while recording, the teacher and whoever is on stage publish for the recorder', () => {
    const t = { peerId: 't', role: 'teacher' } as const;
    const a = { peerId: 'a', role: 'student' } as const;
    const alone = [peer('s1', 'screen'), peer('t', 'teacher')];
    assert.equal(shouldPublish(t, alone, true), false, 'only the screen: P2P is enough');
    assert.equal(shouldPublish(t, alone, true, true), true);
    assert.equal(shouldPublish(t, alone, false, true), false, 'no SFU: nothing records');
    const withAna = [...alone, peer('a', 'student')];
    assert.equal(shouldPublish(a, withAna, true, true), false, 'off stage: nothing to publish');
    const onStage = [...alone, { ...peer('a', 'student'), stage: 'on' as const }];
    assert.equal(shouldPublish(a, onStage, true, true), true);
  });

  it('students receive published teacher shares through the SFU; screens do not', () => {
    const peers = Object.fromEntries(
      [peer('t', 'teacher'), peer('a', 'student'), peer('b', 'student')].map((p) => [p.id, p]),
    );
    const shares = [
      {
        id: 'x',
        peerId: 't',
        kind: 'screen',
        label: '',
        preset: 'auto',
        audio: false,
        streamId: 'sx',
        producerId: 'px',
      },
      {
        id: 'y',
        peerId: 'b',
        kind: 'screen',
        label: '',
        preset: 'auto',
        audio: false,
        streamId: 'sy',
        producerId: 'py',
      },
      {
        id: 'z',
        peerId: 't',
        kind: 'screen',
        label: '',
        preset: 'auto',
        audio: false,
        streamId: 'sz',
      },
    ] as const;
    assert.deepEqual(sharesToReceive({ peerId: 'a', role: 'student' }, peers, shares, true), [
      { producerId: 'px', streamId: 'sx', kind: 'video' },
    ]);
    assert.deepEqual(sharesToReceive({ peerId: 'a', role: 'student' }, peers, shares, false), []);
    assert.deepEqual(sharesToReceive({ peerId: 's', role: 'screen' }, peers, shares, true), []);
  });

  it('someone outside the room sends through the SFU only, and the screens receive it there', () => {
    const rita = { ...peer('r', 'student'), remote: true, stage: 'on' as const };
    const peers = [peer('s1', 'screen'), peer('t', 'teacher'), peer('a', 'student'), rita];
    const r = { peerId: 'r', role: 'student' } as const;
    assert.deepEqual(shareTargets(r, peers, true), [], 'the screen is behind the school NAT');
    assert.deepEqual(shareTargets(r, peers, false), ['s1', 't'], 'no SFU: P2P (TURN)');
    assert.equal(shouldPublish(r, [peer('s1', 'screen'), rita], true), true, 'for the screen');
    const cam = {
      id: 'c',
      peerId: 'r',
      kind: 'camera',
      label: '',
      preset: 'auto',
      audio: true,
      streamId: 'sc',
      producerId: 'pv',
      audioProducerId: 'pa',
    } as const;
    const byId = Object.fromEntries(peers.map((p) => [p.id, p]));
    const both = [
      { producerId: 'pv', streamId: 'sc', kind: 'video' },
      { producerId: 'pa', streamId: 'sc', kind: 'audio' },
    ];
    assert.deepEqual(sharesToReceive({ peerId: 's1', role: 'screen' }, byId, [cam], true), both);
    assert.deepEqual(sharesToReceive({ peerId: 't', role: 'teacher' }, byId, [cam], true), both);
    const off = { ...byId, r: { ...rita, stage: 'off' as const } };
    assert.deepEqual(sharesToReceive({ peerId: 's1', role: 'screen' }, off, [cam], true), []);
  });

  it('a 1:1 lesson across the walls goes P2P between the two, the SFU when that link fails', () => {
    const rita = { ...peer('r', 'student'), remote: true, stage: 'on' as const };
    const peers = [peer('s1', 'screen'), peer('t', 'teacher'), rita];
    const t = { peerId: 't', role: 'teacher' } as const;
    const r = { peerId: 'r', role: 'student' } as const;
    assert.equal(lessonPartner(t, peers), 'r');
    assert.equal(lessonPartner(r, peers), 't');
    assert.equal(lessonPartner({ peerId: 's1', role: 'screen' }, peers), undefined);
    assert.equal(
      lessonPartner(t, [...peers, peer('a', 'student')]),
      undefined,
      'a third person: a class, not a lesson',
    );
    assert.equal(
      lessonPartner(t, [peer('t', 'teacher'), { ...rita, remote: false }]),
      undefined,
      'both in the room: the LAN rules apply',
    );
    assert.equal(lessonPartner(t, [peer('t', 'teacher'), { ...rita, stage: 'off' }]), undefined);

    const up: Reach = { failed: () => false, connected: () => true };
    const down: Reach = { failed: (id) => id === 'r' || id === 't', connected: () => false };
    assert.deepEqual(shareTargets(t, peers, true, up), ['s1', 'r'], 'the screen, and Rita P2P');
    assert.deepEqual(shareTargets(r, peers, true, up), ['t'], 'Rita to the teacher P2P');
    assert.deepEqual(shareTargets(t, peers, true, down), ['s1']);
    assert.deepEqual(shareTargets(r, peers, true, down), []);
    // The teacher in the room publishes nothing for Rita while P2P carries it…
    assert.equal(shouldPublish(t, peers, true, false, up), false);
    assert.equal(shouldPublish(t, peers, true, false, down), true, '…and for her when it failed');
    // Rita publishes for the room screen behind the NAT either way; without one, only on failure.
    assert.equal(shouldPublish(r, peers, true, false, up), true);
    const alone = [peer('t', 'teacher'), rita];
    assert.equal(shouldPublish(r, alone, true, false, up), false);
    assert.equal(shouldPublish(r, alone, true, false, down), true);

    const cam = {
      id: 'c',
      peerId: 'r',
      kind: 'camera',
      label: '',
      preset: 'auto',
      audio: true,
      streamId: 'sc',
      producerId: 'pv',
      audioProducerId: 'pa',
    } as const;
    const byId = Object.fromEntries(peers.map((p) => [p.id, p]));
    assert.deepEqual(sharesToReceive(t, byId, [cam], true, up), [], 'her camera comes P2P');
    assert.equal(sharesToReceive(t, byId, [cam], true, down).length, 2, 'through the SFU');
    assert.equal(
      sharesToReceive({ peerId: 's1', role: 'screen' }, byId, [cam], true, up).length,
      2,
      'the room screen gets hers through the SFU',
    );
  });
});

describe('simulcast layers', () => {
  it('three layers for a full-screen source, fewer for small windows; top gets the plan bitrate', () => {
    const l = simulcastEncodings(1920, 6_000_000);
    assert.deepEqual(
      l.map((x) => [x.rid, x.scaleResolutionDownBy]),
      [
        ['r0', 4],
        ['r1', 2],
        ['r2', 1],
      ],
    );
    assert.equal(l[2]!.maxBitrate, 6_000_000);
    assert.ok(l[0]!.maxBitrate < l[1]!.maxBitrate && l[1]!.maxBitrate < l[2]!.maxBitrate);
    assert.equal(simulcastEncodings(1000, 3_000_000).length, 2);
    assert.equal(simulcastEncodings(500, 2_000_000).length, 1);
  });

  it('a receiver asks for the smallest layer at least as wide as its viewport', () => {
    assert.equal(preferredLayer(400, 1), 0, '480 px layer');
    assert.equal(preferredLayer(400, 2), 1, 'HiDPI needs 800 px');
    assert.equal(preferredLayer(900, 1), 1);
    assert.equal(preferredLayer(1280, 1), 2);
    assert.equal(preferredLayer(3840, 1), 2, 'never above the top');
  });
});

describe('stats summary', () => {
  it('derives codec, size, fps, bitrate, RTT, loss, jitter and freezes from getStats reports', () => {
    const t0 = [
      {
        id: 'in1',
        type: 'inbound-rtp',
        kind: 'video',
        timestamp: 1000,
        bytesReceived: 0,
        codecId: 'c1',
      },
      {
        id: 'a1',
        type: 'inbound-rtp',
        kind: 'audio',
        timestamp: 1000,
        totalSamplesReceived: 480,
        concealedSamples: 0,
      },
    ];
    const t1 = [
      { id: 'c1', type: 'codec', timestamp: 2000, mimeType: 'video/VP9' },
      {
        id: 'cp',
        type: 'candidate-pair',
        timestamp: 2000,
        nominated: true,
        currentRoundTripTime: 0.002,
      },
      {
        id: 'in1',
        type: 'inbound-rtp',
        kind: 'video',
        timestamp: 2000,
        bytesReceived: 750_000,
        codecId: 'c1',
        frameWidth: 1920,
        frameHeight: 1080,
        framesPerSecond: 30,
        packetsLost: 3,
        packetsReceived: 997,
        jitter: 0.004,
        freezeCount: 1,
        framesDecoded: 60,
      },
      { id: 'c2', type: 'codec', timestamp: 2000, mimeType: 'audio/opus' },
      {
        id: 'a1',
        type: 'inbound-rtp',
        kind: 'audio',
        timestamp: 2000,
        codecId: 'c2',
        audioLevel: 0.25,
        totalSamplesReceived: 48_480,
        concealedSamples: 480,
      },
      {
        id: 'out1',
        type: 'outbound-rtp',
        kind: 'video',
        timestamp: 2000,
        bytesSent: 10,
        remoteId: 'r1',
        qualityLimitationReason: 'cpu',
      },
      {
        id: 'r1',
        type: 'remote-inbound-rtp',
        timestamp: 2000,
        roundTripTime: 0.005,
        packetsLost: 2,
        jitter: 0.001,
      },
    ];
    // The SFU's probation stream is padding, not a stream anyone shows: it gets no row.
    const probe = {
      id: 'pr',
      type: 'inbound-rtp',
      kind: 'video',
      timestamp: 2000,
      mid: 'probator',
    };
    const [inbound, audio, outbound, ...rest] = summarize(
      { path: 'p2p', id: 'p' },
      [...t1, probe],
      new Map(t0.map((r) => [r.id, r])),
    );
    assert.deepEqual(rest, []);
    assert.deepEqual(inbound, {
      id: 'in1',
      kind: 'video',
      direction: 'in',
      path: 'p2p',
      link: 'p',
      codec: 'VP9',
      width: 1920,
      height: 1080,
      fps: 30,
      bitrate: 6_000_000,
      rttMs: 2,
      packetsLost: 3,
      packets: 997,
      jitterMs: 4,
      freezeCount: 1,
      qualityLimitationReason: null,
      framesDecoded: 60,
      audioLevel: null,
      concealedRatio: null,
      route: null,
    });
    assert.deepEqual(
      [audio?.kind, audio?.codec, audio?.audioLevel, audio?.concealedRatio],
      ['audio', 'opus', 0.25, 0.01],
      'audio: codec, level and the share of samples concealed since the last sample',
    );
    assert.equal(outbound?.direction, 'out');
    assert.equal(outbound?.rttMs, 5);
    assert.equal(outbound?.packetsLost, 2);
    assert.equal(outbound?.qualityLimitationReason, 'cpu');
    assert.equal(outbound?.bitrate, 0, 'no previous sample, no rate');
  });
});

describe('the route of a connection (its selected ICE pair)', () => {
  const pair = (local: Record<string, unknown>, remote: Record<string, unknown>) => [
    { id: 'T', type: 'transport', timestamp: 1, selectedCandidatePairId: 'P' },
    {
      id: 'P',
      type: 'candidate-pair',
      timestamp: 1,
      localCandidateId: 'L',
      remoteCandidateId: 'R',
    },
    { id: 'L', type: 'local-candidate', timestamp: 1, ...local },
    { id: 'R', type: 'remote-candidate', timestamp: 1, ...remote },
  ];

  it('names a TURN relay on either side, and what this side travels on', async () => {
    const { selectedRoute } = await import('../../renderer/src/media/stats');
    assert.deepEqual(
      selectedRoute(
        pair(
          { candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' },
          { candidateType: 'host', protocol: 'udp' },
        ),
      ),
      { candidate: 'relay', protocol: 'tcp' },
      'my relay, reached over TCP (UDP blocked here)',
    );
    assert.deepEqual(
      selectedRoute(
        pair(
          { candidateType: 'srflx', protocol: 'udp' },
          { candidateType: 'relay', protocol: 'udp' },
        ),
      ),
      { candidate: 'relay', protocol: 'udp' },
      'their relay',
    );
    assert.deepEqual(
      selectedRoute(
        pair(
          { candidateType: 'host', protocol: 'tcp' },
          { candidateType: 'host', protocol: 'tcp' },
        ),
      ),
      { candidate: 'host', protocol: 'tcp' },
      'ICE over TCP to an SFU',
    );
  });

  it('falls back to the nominated, succeeded pair; none before one is selected', async () => {
    const { selectedRoute } = await import('../../renderer/src/media/stats');
    const [, p, l, r] = pair(
      { candidateType: 'prflx', protocol: 'udp' },
      { candidateType: 'host' },
    );
    assert.deepEqual(selectedRoute([{ ...p!, nominated: true, state: 'succeeded' }, l!, r!]), {
      candidate: 'prflx',
      protocol: 'udp',
    });
    assert.equal(selectedRoute([{ ...p!, nominated: true, state: 'in-progress' }, l!, r!]), null);
    assert.equal(selectedRoute([]), null);
  });
});

describe('the 10 s metrics report', () => {
  it('maps stats to the protocol, with the loss rate since the previous report and the path', async () => {
    const { MetricsReporter } = await import('../../renderer/src/media/report');
    const { DeviceMetrics } = await import('../../protocol');
    const base = {
      id: 'in1',
      kind: 'video' as const,
      direction: 'in' as const,
      path: 'sfu' as const,
      link: 'recv',
      codec: 'VP8',
      width: 1280,
      height: 720,
      fps: 29.97,
      bitrate: 2_500_400,
      rttMs: 3,
      jitterMs: 1.5,
      freezeCount: 0,
      qualityLimitationReason: null,
      framesDecoded: 10,
      audioLevel: null,
      concealedRatio: null,
      route: { candidate: 'relay' as const, protocol: 'tcp' as const },
    };
    const reporter = new MetricsReporter();
    const first = reporter.report([{ ...base, packetsLost: 10, packets: 990 }], {
      failures: 0,
      interruptions: 1,
    });
    const second = reporter.report([{ ...base, packetsLost: 30, packets: 1970 }], {
      failures: 1,
      interruptions: 0,
    });
    assert.deepEqual(DeviceMetrics.parse(first), first, 'valid on the wire');
    assert.deepEqual(first.streams[0], {
      id: 'in1',
      kind: 'video',
      direction: 'in',
      path: 'sfu',
      codec: 'VP8',
      width: 1280,
      height: 720,
      fps: 30,
      bitrateKbps: 2500,
      packetsLost: 10,
      lossRate: 0.01,
      jitterMs: 1.5,
      rttMs: 3,
      audioLevel: null,
      concealedRatio: null,
      route: 'relay',
      transport: 'tcp',
    });
    assert.equal(second.streams[0]!.lossRate, 20 / 1000);
    assert.deepEqual([second.iceFailures, first.iceInterruptions], [1, 1]);
  });
});

describe('audio packet time in SDP', () => {
  it('asks every audio section for 10 ms packets, replacing a ptime there; video untouched', async () => {
    const { withPtime } = await import('../../renderer/src/media/sdp');
    const sdp = [
      'v=0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      'a=ptime:20',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=rtpmap:96 VP8/90000',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      '',
    ].join('\r\n');
    const out = withPtime(sdp, 10).split('\r\n');
    assert.deepEqual(
      out.filter((l) => l.startsWith('a=ptime')),
      ['a=ptime:10', 'a=ptime:10'],
    );
    assert.equal(out.at(-1), '', 'still ends with the empty line');
    const video = out.slice(
      out.indexOf('m=video 9 UDP/TLS/RTP/SAVPF 96'),
      out.indexOf('m=video 9 UDP/TLS/RTP/SAVPF 96') + 2,
    );
    assert.deepEqual(video, ['m=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000']);
  });
});

describe('start bitrate in SDP', () => {
  it('adds x-google-start-bitrate to every video codec, with or without an fmtp line', async () => {
    const { withStartBitrate } = await import('../../renderer/src/media/sdp');
    const sdp = [
      'v=0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98',
      'a=rtpmap:96 VP8/90000',
      'a=rtpmap:97 rtx/90000',
      'a=fmtp:97 apt=96',
      'a=rtpmap:98 H264/90000',
      'a=fmtp:98 profile-level-id=42e01f;x-google-start-bitrate=300',
      '',
    ].join('\r\n');
    const out = withStartBitrate(sdp, 4000).split('\r\n');
    assert.ok(out.includes('a=fmtp:96 x-google-start-bitrate=4000'), 'VP8 got an fmtp line');
    assert.ok(
      out.includes('a=fmtp:98 profile-level-id=42e01f;x-google-start-bitrate=4000'),
      'H264 replaced',
    );
    assert.ok(out.includes('a=fmtp:97 apt=96'), 'rtx untouched');
    assert.ok(out.includes('a=fmtp:111 minptime=10;useinbandfec=1'), 'audio untouched');
    assert.equal(
      out.indexOf('a=fmtp:96 x-google-start-bitrate=4000'),
      out.indexOf('a=rtpmap:96 VP8/90000') + 1,
    );
  });
});

describe('relay address', () => {
  it('is the page host by default, or a typed host[:port] (port 47800 by default)', async () => {
    const { relayUrl } = await import('../../renderer/src/signaling/address');
    const page = { protocol: 'http:', host: '10.0.0.5:47800' };
    assert.equal(relayUrl(page), 'ws://10.0.0.5:47800/ws');
    assert.equal(relayUrl({ protocol: 'https:', host: 'room.school' }), 'wss://room.school/ws');
    assert.equal(relayUrl(page, ' room-101.local '), 'ws://room-101.local:47800/ws');
    assert.equal(relayUrl(page, '192.0.2.7:9000'), 'ws://192.0.2.7:9000/ws');
    assert.equal(relayUrl(page, '[fe80::1]:47800'), 'ws://[fe80::1]:47800/ws');
    // The desktop app (app://): wss to another machine, ws to its own room screen's relay.
    const app = { protocol: 'app:', host: 'lectern' };
    assert.equal(relayUrl(app), null);
    assert.equal(relayUrl(app, '192.0.2.7'), 'wss://192.0.2.7:47800/ws');
    assert.equal(relayUrl(app, '127.0.0.1:47800'), 'ws://127.0.0.1:47800/ws');
    assert.equal(relayUrl(app, 'localhost:5000'), 'ws://localhost:5000/ws');
    for (const bad of ['http://x', 'a b', 'x:99999', 'x/ws', 'x:']) {
      assert.equal(relayUrl(page, bad), null, bad);
    }
  });
});

describe('music mode', () => {
  it('sets stereo, music bitrate, FEC and no DTX on the audio sections it sends music on only', async () => {
    const { withMusicOpus, micConstraints } = await import('../../renderer/src/media/audio');
    const sdp = [
      'v=0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 63',
      'a=mid:0',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtpmap:63 red/48000/2',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=mid:1',
      'a=rtpmap:111 opus/48000/2',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=mid:2',
      'a=rtpmap:96 VP8/90000',
      '',
    ].join('\r\n');
    const out = withMusicOpus(sdp, new Set(['1'])).split('\r\n');
    assert.ok(out.includes('a=fmtp:111 minptime=10;useinbandfec=1'), 'voice section untouched');
    const music = out[out.indexOf('a=mid:1') + 2]!;
    assert.match(music, /^a=fmtp:111 /, 'an fmtp line is added where there was none');
    for (const p of ['stereo=1', 'sprop-stereo=1', 'maxaveragebitrate=192000', 'usedtx=0']) {
      assert.ok(music.includes(p), p);
    }
    assert.equal(withMusicOpus(sdp, new Set()), sdp);
    const both = withMusicOpus(sdp, new Set(['0'])).split('\r\n');
    assert.match(both[4]!, /^a=fmtp:111 minptime=10;useinbandfec=1;stereo=1;/, 'existing kept');
    assert.equal(out.length, sdp.split('\r\n').length + 1);

    const offer = sdp.replace('a=mid:1', 'a=mid:1\r\na=msid:music-stream track1');
    const { midsOfStreams } = await import('../../renderer/src/media/audio');
    assert.deepEqual([...midsOfStreams(offer, new Set(['music-stream']))], ['1']);
    assert.deepEqual([...midsOfStreams(offer, new Set(['other']))], []);

    assert.deepEqual(
      [micConstraints(false).echoCancellation, micConstraints(false).noiseSuppression],
      [true, true],
      'voice keeps the processing',
    );
    const m = micConstraints(true, 'dev1');
    assert.deepEqual(
      [m.echoCancellation, m.noiseSuppression, m.autoGainControl, m.deviceId],
      [false, false, false, { exact: 'dev1' }],
    );
  });
});

describe('who is speaking over P2P', () => {
  it('the devices whose received audio level is above the threshold, once each', async () => {
    const { p2pSpeakers } = await import('../../renderer/src/media/stats');
    const base = {
      id: 'x',
      direction: 'in' as const,
      codec: 'opus',
      width: 0,
      height: 0,
      fps: 0,
      bitrate: 0,
      rttMs: null,
      packetsLost: 0,
      packets: 0,
      jitterMs: null,
      freezeCount: 0,
      qualityLimitationReason: null,
      framesDecoded: 0,
      concealedRatio: 0,
      route: null,
    };
    const s = (link: string, level: number | null, more = {}) => ({
      ...base,
      kind: 'audio' as const,
      path: 'p2p' as const,
      link,
      audioLevel: level,
      ...more,
    });
    assert.deepEqual(
      p2pSpeakers([
        s('loud', 0.4),
        s('loud', 0.2),
        s('quiet', 0.001),
        s('none', null),
        s('sfu', 0.5, { path: 'sfu' }),
        s('mine', 0.5, { direction: 'out' }),
      ]),
      ['loud'],
    );
  });
});

describe('the stats sampler', () => {
  it('rates each link against its own last sample; a closed link starts afresh', async () => {
    const { StatsSampler } = await import('../../renderer/src/media/stats');
    const sampler = new StatsSampler();
    const inbound = (bytes: number, timestamp: number) =>
      new Map([
        ['in1', { id: 'in1', type: 'inbound-rtp', kind: 'video', timestamp, bytesReceived: bytes }],
      ]);
    const a = { path: 'p2p', id: 'a' } as const;
    const b = { path: 'p2p', id: 'b' } as const;
    assert.equal(sampler.link(a, inbound(0, 1000))[0]?.bitrate, 0, 'no rate from one sample');
    sampler.link(b, inbound(0, 1000));
    // The same report id on another link is another stream: each link keeps its own.
    assert.equal(sampler.link(a, inbound(125_000, 2000))[0]?.bitrate, 1_000_000);
    assert.equal(sampler.link(b, inbound(250_000, 2000))[0]?.bitrate, 2_000_000);
    sampler.forget(a);
    assert.equal(sampler.link(a, inbound(500_000, 3000))[0]?.bitrate, 0, 'forgotten');
    const skipped = sampler.link(b, inbound(375_000, 3000), (r) => r.id === 'in1');
    assert.deepEqual(skipped, []);
  });

  it('counts ICE failures and interruptions until they are taken', async () => {
    const { StatsSampler } = await import('../../renderer/src/media/stats');
    const sampler = new StatsSampler();
    for (const s of ['connecting', 'connected', 'disconnected', 'connected', 'failed']) {
      sampler.connectionState(s);
    }
    sampler.connectionState('disconnected');
    assert.deepEqual(sampler.takeIceCounts(), { failures: 1, interruptions: 2 });
    assert.deepEqual(sampler.takeIceCounts(), { failures: 0, interruptions: 0 });
  });
});

describe('the audio sections of a connection', () => {
  it('are the mids of the transceivers whose senders carry sound', async () => {
    const { audioMidsOf } = await import('../../renderer/src/media/audio');
    const voice = { track: { kind: 'audio' } };
    const picture = { track: { kind: 'video' } };
    const unsent = { track: { kind: 'audio' } };
    const pending = { track: { kind: 'audio' } };
    const pc = {
      getTransceivers: () => [
        { sender: picture, mid: '0' },
        { sender: voice, mid: '1' },
        { sender: pending, mid: null },
      ],
    };
    assert.deepEqual([...audioMidsOf(pc, [voice, picture, unsent, pending])], ['1']);
    assert.deepEqual([...audioMidsOf(pc, [])], []);
  });
});
