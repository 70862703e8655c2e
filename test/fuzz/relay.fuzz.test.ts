import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import WebSocket from 'ws';
import { CloseCode, ErrorCode, PROTOCOL_VERSION } from '../../protocol';
import { spawnRelay, type RelayChild } from '../helpers/spawnRelay';
import { TestClient } from '../helpers/TestClient';
import { hostileFrame } from './frames';

const WELL_BEHAVED = fileURLToPath(new URL('./wellBehaved.ts', import.meta.url));
const TOTAL = Number(process.env['LECTERN_FUZZ_FRAMES'] ?? 100_000);
const WORKERS = 8;
const BARRIER_BASE = 2 ** 40;
const CLOSE_CODES_ALLOWED = new Set<number>([CloseCode.MESSAGE_TOO_BIG, CloseCode.LEFT]);
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

interface Tally {
  sent: number;
  answered: number;
  silentNotifications: number;
  closes: Record<number, number>;
  codes: Record<string, number>;
}

/** One hostile connection: send a frame, then a ping barrier; every frame before the barrier's answer belongs to the hostile frame. */
class Fuzzer {
  private ws!: WebSocket;
  private frames: {
    type?: string;
    id?: unknown;
    method?: string;
    error?: { code: string };
    params?: { code?: string };
  }[] = [];
  private wake: (() => void) | null = null;
  private closeCode: number | null = null;
  private barrier = BARRIER_BASE;

  constructor(
    private readonly url: string,
    private readonly join: Record<string, unknown> | null,
  ) {}

  async open(): Promise<void> {
    this.ws = new WebSocket(this.url);
    this.closeCode = null;
    this.frames = [];
    this.ws.on('message', (d) => {
      this.frames.push(JSON.parse(d.toString()));
      this.wake?.();
    });
    this.ws.on('close', (code) => {
      this.closeCode = code;
      this.wake?.();
    });
    this.ws.on('error', () => {});
    await new Promise((r) => this.ws.once('open', r));
    if (this.join) {
      this.ws.send(JSON.stringify({ type: 'request', id: 0, method: 'join', params: this.join }));
      await this.until(() => this.frames.some((f) => f.id === 0));
      const ack = this.frames.find((f) => f.id === 0) as { ok?: boolean; error?: unknown };
      assert.equal(ack.ok, true, `fuzzer joined: ${JSON.stringify(ack.error)}`);
      this.frames = [];
    }
  }

  private async until(done: () => boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('relay did not answer within 5 s');
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 100);
      });
      this.wake = null;
    }
  }

  async fire(frame: { data: string | Buffer; binary: boolean }, tally: Tally): Promise<void> {
    const barrier = ++this.barrier;
    this.ws.send(frame.data, { binary: frame.binary });
    this.ws.send(JSON.stringify({ type: 'request', id: barrier, method: 'ping', params: {} }));
    tally.sent++;
    await this.until(() => this.closeCode !== null || this.frames.some((f) => f.id === barrier));
    const answers = this.frames.filter(
      (f) =>
        (f.type === 'response' && f.id !== barrier) ||
        (f.type === 'notification' && f.method === 'error'),
    );
    this.frames = [];
    for (const a of answers) {
      const code = a.error?.code ?? a.params?.code;
      if (code === undefined) continue;
      assert.ok(KNOWN_CODES.has(code), `unknown error code ${code}`);
      tally.codes[code] = (tally.codes[code] ?? 0) + 1;
    }
    if (this.closeCode !== null) {
      assert.ok(CLOSE_CODES_ALLOWED.has(this.closeCode), `unexpected close ${this.closeCode}`);
      tally.closes[this.closeCode] = (tally.closes[this.closeCode] ?? 0) + 1;
      await this.open();
      return;
    }
    let isNotification = false;
    try {
      isNotification =
        !frame.binary &&
        (JSON.parse(String(frame.data)) as { type?: unknown })?.type === 'notification';
    } catch {
      /* not JSON: must be answered */
    }
    if (isNotification) {
      assert.ok(answers.length <= 1, 'at most one answer to a notification');
      if (answers.length === 0) tally.silentNotifications++;
      else tally.answered++;
    } else {
      assert.equal(answers.length, 1, `exactly one answer to ${String(frame.data).slice(0, 120)}`);
      tally.answered++;
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

describe('fuzzing a live relay', () => {
  let relay: RelayChild;
  before(async () => {
    // Rate, cost and guess budgets are raised so the fuzzer reaches the handlers behind them;
    // the budgets themselves are tested by test/hostile with production limits.
    const lots = 1_000_000_000;
    relay = await spawnRelay({
      messagesPerSecond: lots,
      messageBurst: lots,
      wrongCodeLimit: lots,
      codeGuessBurst: lots,
      credentialGuessBurst: lots,
      wrongCredentialLimit: lots,
      chatPerSecond: lots,
      chatBurst: lots,
      fanoutBytesPerSecond: lots,
      fanoutBurstBytes: lots,
      roomChatPerSecond: lots,
      roomChatBurst: lots,
      reactionsPerSecond: lots,
      reactionsBurst: lots,
      rosterChangesPerSecond: lots,
      rosterChangesBurst: lots,
      signalBytesPerSecond: lots,
      signalBurstBytes: lots,
      heavyPerSecond: lots,
      heavyBurst: lots,
      metricsPerSecond: lots,
      metricsBurst: lots,
      preJoinFrames: lots,
      wsPingsPerSecond: lots,
      connectsPerSecondPerAddress: lots,
      connectsBurstPerAddress: lots,
      maxConnectionsPerAddress: 64,
      maxPendingPerAddress: 64,
      maxPayloadBytes: 256 * 1024,
    });
  });
  after(() => relay.stop());

  it(`answers ${TOTAL} hostile frames with codes or clean closes; the class carries on`, async () => {
    const [roomA, roomB] = relay.rooms as [
      { code: string; screenKey: string },
      { code: string; screenKey: string },
    ];
    const pair = spawn(process.execPath, ['--import', 'tsx', WELL_BEHAVED, relay.url, roomA.code], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const pairOut = createInterface({ input: pair.stdout })[Symbol.asyncIterator]();
    const ready = JSON.parse((await pairOut.next()).value as string) as { peerIds: string[] };
    const outsider = await TestClient.connect(relay.url);
    await outsider.join({ role: 'student', name: 'O', code: roomB.code });
    const targets = { peerIds: [...ready.peerIds, outsider.peerId] };

    const tally: Tally = { sent: 0, answered: 0, silentNotifications: 0, closes: {}, codes: {} };
    const seed = Number(process.env['LECTERN_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    const arb = hostileFrame(targets);
    const perWorker = Math.ceil(TOTAL / WORKERS);
    // Generated up front so the generator never stalls the well-behaved client's timing.
    const batches = Array.from({ length: WORKERS }, (_, w) =>
      fc.sample(arb, { numRuns: perWorker, seed: seed + w }),
    );
    const started = Date.now();
    try {
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          const join =
            w % 2 === 0
              ? { protocol: PROTOCOL_VERSION, role: 'student', name: `fuzz${w}`, code: roomA.code }
              : null;
          const fuzzer = new Fuzzer(relay.url, join);
          await fuzzer.open();
          for (const frame of batches[w]!) await fuzzer.fire(frame, tally);
          fuzzer.close();
        }),
      );
    } finally {
      pair.stdin!.end();
    }
    const report = JSON.parse((await pairOut.next()).value as string) as {
      sent: number;
      received: number;
      inOrder: boolean;
      pings: number[];
    };
    const pings = report.pings.sort((a, b) => a - b);
    const seconds = (Date.now() - started) / 1000;
    const p99 = pings[Math.floor(pings.length * 0.99)] ?? 0;
    const max = pings[pings.length - 1] ?? 0;
    console.log(
      `fuzz: seed=${seed} frames=${tally.sent} answered=${tally.answered} silent_valid_notifications=${tally.silentNotifications} ` +
        `closes=${JSON.stringify(tally.closes)} in ${seconds.toFixed(1)} s; well-behaved (own process) chats ${report.received}/${report.sent} in order, ping p99=${p99.toFixed(1)} ms max=${max.toFixed(1)} ms over ${pings.length}`,
    );
    console.log(`fuzz error codes: ${JSON.stringify(tally.codes)}`);

    assert.ok(tally.sent >= TOTAL);
    assert.equal(relay.child.exitCode, null, 'relay process alive');
    assert.doesNotMatch(relay.stderr(), /handler failed|Uncaught|TypeError/);
    const closes = Object.values(tally.closes).reduce((a, b) => a + b, 0);
    assert.equal(
      tally.answered + tally.silentNotifications + closes,
      tally.sent,
      'every frame accounted for',
    );
    assert.ok(report.sent > 100, 'the class went on during the fuzz');
    assert.equal(report.received, report.sent, 'no chat lost');
    assert.ok(report.inOrder, 'no chat reordered');
    assert.ok(max < 50, `well-behaved ping max ${max.toFixed(1)} ms (p99 ${p99.toFixed(1)} ms)`);
    assert.deepEqual(await outsider.request('ping', { t: 5 }), { t: 5 });
    outsider.ws.terminate();
  });
});
