import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Signal } from '../../protocol';
import { largestView, viewScale } from '../../renderer/src/media/viewScale';
import { REPORT_MS, ViewReports } from '../../renderer/src/media/ViewReports';

const hd = { width: 1920, height: 1080 };

describe('sending a share at the size its receiver shows it', () => {
  it('full size in the single layout, half in a 2×2 or 2-up slot, never below what is shown', () => {
    assert.equal(viewScale(hd, { width: 1920, height: 1080 }), 1);
    // A single slot a little smaller than the source (captions, margins): still full size.
    assert.equal(viewScale(hd, { width: 1800, height: 1000 }), 1);
    assert.equal(viewScale(hd, { width: 958, height: 538 }), 2);
    // 2-up: half the width, the full height; the picture fits by its width.
    assert.equal(viewScale(hd, { width: 956, height: 1080 }), 2);
    assert.equal(viewScale(hd, { width: 1280, height: 720 }), 1.5);
    // A 4K source on a 1080p screen's single slot: half.
    assert.equal(viewScale({ width: 3840, height: 2160 }, hd), 2);
    // A phone: a quarter at most (the steps end there).
    assert.equal(viewScale(hd, { width: 390, height: 220 }), 4);
    // Never scaled so far that the receiver gets fewer pixels than it shows.
    for (const w of [100, 333, 700, 959, 960, 1500, 1919, 2500]) {
      const view = { width: w, height: Math.round((w * 9) / 16) };
      const s = viewScale(hd, view);
      assert.ok(hd.width / s >= Math.min(view.width, hd.width) - 1 || s === 4, `${w}: ${s}`);
    }
  });

  it('keeps full size when it does not know the view (hidden, 0×0, no source size)', () => {
    assert.equal(viewScale(hd, { width: 0, height: 0 }), 1);
    assert.equal(viewScale({ width: 0, height: 0 }, { width: 400, height: 300 }), 1);
  });

  it('the largest of several views of one stream decides', () => {
    assert.deepEqual(
      largestView([
        { width: 320, height: 180 },
        { width: 1920, height: 900 },
      ]),
      { width: 1920, height: 900 },
    );
    assert.deepEqual(largestView([]), { width: 0, height: 0 });
  });

  it('the view signal is bounded like every other signal', () => {
    assert.ok(Signal.safeParse({ kind: 'view', streamId: 's-1', width: 960, height: 540 }).success);
    for (const bad of [
      { kind: 'view', streamId: 's-1', width: -1, height: 540 },
      { kind: 'view', streamId: 's-1', width: 1e9, height: 540 },
      { kind: 'view', streamId: 's-1', width: 1.5, height: 540 },
      { kind: 'view', streamId: '<script>', width: 1, height: 1 },
      { kind: 'view', width: 1, height: 1 },
    ]) {
      assert.equal(Signal.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});

describe('view reports', () => {
  const wait = () => new Promise((r) => setTimeout(r, REPORT_MS + 50));

  it('tells the sender the largest view once per change, and again on a new connection', async () => {
    const sent: string[] = [];
    let linked = false;
    const reports = new ViewReports((id, s) => {
      if (!linked) return false;
      sent.push(`${id} ${s.width}×${s.height}`);
      return true;
    });
    const tile = {};
    const thumb = {};
    reports.set('a', tile, { width: 959.6, height: 539.4 });
    reports.set('a', thumb, { width: 200, height: 100 });
    await wait();
    assert.deepEqual(sent, [], 'no connection yet: nothing sent');
    linked = true;
    reports.arrived('a');
    await wait();
    assert.deepEqual(sent, ['a 960×539']);
    // A resize storm within one report period: one report, the last size.
    for (let w = 1000; w <= 1900; w += 100) reports.set('a', tile, { width: w, height: 1000 });
    reports.set('a', tile, { width: 1900, height: 1000 });
    await wait();
    assert.deepEqual(sent, ['a 960×539', 'a 1900×1000']);
    // Same size again: nothing new.
    reports.set('a', tile, { width: 1900, height: 1000 });
    await wait();
    assert.equal(sent.length, 2);
    // The stream comes on a new connection: its new sender hears the size.
    reports.arrived('a');
    await wait();
    assert.deepEqual(sent.at(-1), 'a 1900×1000');
    // Shown nowhere any more: 0×0 (the sender goes back to full size).
    reports.clear('a', tile);
    reports.clear('a', thumb);
    await wait();
    assert.deepEqual(sent.at(-1), 'a 0×0');
    reports.close();
  });
});
