import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { CapturePick, isSourceId } from '../../../main/capturePick';
import { writeDiagnostics } from '../../../main/diagnostics';
import { openAppLog } from '../../../main/logs';
import { failureOf, RecoveryPolicy } from '../../../main/recovery';
import { createLogger, setLogDestination } from '../../../server-kit/log';

describe('renderer recovery policy', () => {
  it('reloads after the notice delay; backs off when crashes repeat within a minute', () => {
    const p = new RecoveryPolicy({
      noticeMs: 1500,
      windowMs: 60_000,
      streak: 3,
      backoffMs: 30_000,
    });
    assert.deepEqual(p.onFailure('crashed', 0), { action: 'reload', delayMs: 1500 });
    assert.deepEqual(p.onFailure('unresponsive', 10_000), { action: 'reload', delayMs: 1500 });
    assert.deepEqual(p.onFailure('oom', 20_000), { action: 'reload', delayMs: 30_000 });
    // Two minutes of calm: the streak is forgotten.
    assert.deepEqual(p.onFailure('crashed', 140_000), { action: 'reload', delayMs: 1500 });
    assert.equal(p.onFailure('clean-exit', 140_001).action, 'ignore');
  });

  it("maps Electron's render-process-gone reasons", () => {
    assert.equal(failureOf('clean-exit'), 'clean-exit');
    assert.equal(failureOf('oom'), 'oom');
    assert.equal(failureOf('killed'), 'killed');
    assert.equal(failureOf('launch-failed'), 'launch-failed');
    for (const r of ['crashed', 'abnormal-exit', 'integrity-failure', 'memory-eviction']) {
      assert.equal(failureOf(r), 'crashed', r);
    }
  });
});

describe('capture pick', () => {
  it('is one-shot and expires', () => {
    const pick = new CapturePick(10_000);
    assert.equal(pick.take(0), null);
    pick.set({ sourceId: 'screen:0:0', withAudio: false }, 1000);
    assert.deepEqual(pick.take(2000), { sourceId: 'screen:0:0', withAudio: false });
    assert.equal(pick.take(2001), null, 'used once');
    pick.set({ sourceId: 'window:42:0', withAudio: true }, 0);
    assert.equal(pick.take(10_001), null, 'stale');
  });
  it('accepts only desktopCapturer source ids', () => {
    assert.ok(isSourceId('screen:0:0'));
    assert.ok(isSourceId('window:123456:0'));
    for (const bad of ['', 'screen:0', 'camera:0:0', 'screen:0:0; rm -rf', 42, null]) {
      assert.equal(isSourceId(bad), false, String(bad));
    }
  });
});

describe('app log and diagnostics', () => {
  it("the relay's lines land in the app's rolled log; diagnostics carry the newest lines", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-log-'));
    const appLog = await openAppLog(dir, { maxBytes: 2000, keep: 2, level: 'info' });
    // A logger made by a relay module, as in the room screen's main process.
    const relayLog = createLogger('relay');
    try {
      for (let i = 0; i < 200; i++) {
        relayLog.warn(`line ${i}\nwith newline`);
        // Lines come over time in a real process; the roll happens between them.
        await new Promise((r) => setTimeout(r, 1));
      }
    } finally {
      appLog.close();
      setLogDestination(pino.destination({ fd: 2, sync: true }));
    }
    const files = await appLog.files();
    assert.ok(files.length >= 2 && files.length <= 3, `rolled, at most 2 + 1 kept: ${files}`);
    for (const f of files.slice(0, -1)) assert.ok((await fs.stat(f)).size <= 3000, f);
    let text = '';
    for (const f of files) text += await fs.readFile(f, 'utf8');
    const lines = text.trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { ctx: string; msg: string; level: number };
    assert.equal(last.ctx, 'relay');
    assert.equal(last.msg, 'line 199\nwith newline', 'one JSON line per entry, newline kept');
    assert.equal(last.level, 40);

    const out = await writeDiagnostics(path.join(dir, 'out'), {
      versions: { app: '0.1.0' },
      settings: { roomName: 'R' },
      relay: { connections: 3 },
      logFiles: files,
      tailLines: 5,
    });
    const report = JSON.parse(await fs.readFile(out, 'utf8'));
    assert.equal(report.log.length, 5);
    assert.match(report.log[4], /line 199/);
    assert.equal(report.relay.connections, 3);
  });
});
