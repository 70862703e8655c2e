import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classCode } from '../../server-kit/classCode';
import {
  nextOccurrence,
  occurrencesBetween,
  occurrenceAt,
  scheduleProblem,
  ScheduledClass,
  timetableAt,
} from '../../protocol';

const H = 3600_000;
const WEEK = 7 * 24 * H;
const T0 = Date.UTC(2026, 11, 7, 15); // a Monday, 15:00 UTC
const cls = (id: string, start: number, hours: number, weekly = false) =>
  ScheduledClass.parse({ id, title: id, start, end: start + hours * H, weekly });

describe('a room timetable', () => {
  it('refuses classes that end before they start, run over 12 hours, or repeat an id', () => {
    assert.equal(scheduleProblem([cls('a', T0, -1)])?.code, 'SCHEDULE_INVALID');
    assert.equal(scheduleProblem([cls('a', T0, 0)])?.code, 'SCHEDULE_INVALID');
    assert.equal(scheduleProblem([cls('a', T0, 13)])?.code, 'SCHEDULE_INVALID');
    assert.equal(
      scheduleProblem([cls('a', T0, 1), cls('a', T0 + 2 * H, 1)])?.code,
      'SCHEDULE_INVALID',
    );
    assert.equal(scheduleProblem([cls('a', T0, 1)]), null);
  });
  it('refuses overlaps, weekly ones too, and accepts classes back to back', () => {
    assert.equal(
      scheduleProblem([cls('a', T0, 1), cls('b', T0 + H / 2, 1)])?.code,
      'SCHEDULE_OVERLAP',
    );
    assert.equal(scheduleProblem([cls('a', T0, 1), cls('b', T0 + H, 1)]), null, 'back to back');
    // A weekly class meets a one-off three weeks later.
    assert.equal(
      scheduleProblem([cls('a', T0, 1, true), cls('b', T0 + 3 * WEEK + H / 2, 1)])?.code,
      'SCHEDULE_OVERLAP',
    );
    assert.equal(scheduleProblem([cls('a', T0, 1, true), cls('b', T0 + 3 * WEEK + H, 1)]), null);
    assert.equal(
      scheduleProblem([cls('a', T0, 1, true), cls('b', T0 - H, 1)]),
      null,
      'before the first',
    );
    // Two weekly classes: Sunday 23:00–01:00 meets Monday 00:30 across the week's turn.
    const sunday = T0 - 16 * H;
    assert.equal(
      scheduleProblem([cls('a', sunday, 2, true), cls('b', T0 - 14.5 * H + WEEK * 5, 1, true)])
        ?.code,
      'SCHEDULE_OVERLAP',
    );
    assert.equal(scheduleProblem([cls('a', sunday, 2, true), cls('b', T0, 1, true)]), null);
  });
  it('refuses 10,000 classes, and takes the most a room keeps', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => cls(`c${i}`, T0 + i * 2 * H, 1));
    assert.equal(scheduleProblem(many)?.code, 'SCHEDULE_FULL');
    assert.equal(scheduleProblem(many.slice(0, 200)), null);
  });
  it('knows the class running now and the next one, weekly ones every week', () => {
    const weekly = cls('violin', T0, 1, true);
    assert.equal(occurrenceAt(weekly, T0 - 1), null);
    assert.equal(occurrenceAt(weekly, T0 + 2 * WEEK + H / 2)?.start, T0 + 2 * WEEK);
    assert.equal(occurrenceAt(weekly, T0 + 2 * WEEK + H), null, 'the end is not in it');
    assert.equal(nextOccurrence(weekly, T0 + 10)?.start, T0 + WEEK);
    assert.equal(nextOccurrence(cls('once', T0, 1), T0 + 10), null);
    const { current, next } = timetableAt([weekly, cls('piano', T0 + 2 * H, 1)], T0 + 30 * 60_000);
    assert.equal(current?.title, 'violin');
    assert.equal(next?.title, 'piano');
  });

  it('lists the occurrences in a window (the calendar feed), each with a code of its own', () => {
    const weekly = cls('violin', T0, 1, true);
    const window = occurrencesBetween(weekly, T0 + 30 * 60_000, T0 + 3 * WEEK);
    assert.deepEqual(
      window.map((o) => o.start),
      [T0, T0 + WEEK, T0 + 2 * WEEK],
      'the running one first, none that starts at the end of the window',
    );
    assert.deepEqual(
      occurrencesBetween(cls('once', T0, 1), T0 + 2 * H, T0 + WEEK),
      [],
      'a one-off class that is over',
    );
    const key = 'k'.repeat(32);
    const codes = window.map((o) => classCode(key, o));
    assert.ok(codes.every((c) => /^\d{6}$/.test(c)));
    assert.equal(new Set(codes).size, 3, 'every week its own code');
    assert.equal(classCode(key, window[0]!), codes[0], 'the same from the same key');
    assert.notEqual(classCode('j'.repeat(32), window[0]!), codes[0], 'another key, another code');
  });

  it('a weekly class keeps its wall-clock time across daylight saving in its time zone', () => {
    // Thursdays 15:00 in Berlin from 19 March 2026 (CET, UTC+1); summer time starts 29 March.
    const start = Date.UTC(2026, 2, 19, 14);
    const berlin = ScheduledClass.parse({
      id: 'violin',
      title: 'Violin',
      start,
      end: start + H,
      weekly: true,
      tz: 'Europe/Berlin',
    });
    const starts = occurrencesBetween(berlin, start, start + 4 * WEEK - 2 * H).map((o) =>
      new Date(o.start).toISOString(),
    );
    assert.deepEqual(starts, [
      '2026-03-19T14:00:00.000Z',
      '2026-03-26T14:00:00.000Z',
      '2026-04-02T13:00:00.000Z',
      '2026-04-09T13:00:00.000Z',
    ]);
    const summer = Date.UTC(2026, 3, 2, 13, 30);
    assert.equal(occurrenceAt(berlin, summer)?.start, Date.UTC(2026, 3, 2, 13));
    assert.equal(occurrenceAt(berlin, Date.UTC(2026, 3, 2, 14, 30)), null, '16:30 there: over');
    assert.equal(nextOccurrence(berlin, Date.UTC(2026, 2, 27))?.start, Date.UTC(2026, 3, 2, 13));
    // Back in winter (25 October) it is 14:00 UTC again; without a zone, always 14:00 UTC.
    const later = occurrencesBetween(berlin, Date.UTC(2026, 9, 20), Date.UTC(2026, 10, 1));
    assert.deepEqual(
      later.map((o) => new Date(o.start).toISOString()),
      ['2026-10-22T13:00:00.000Z', '2026-10-29T14:00:00.000Z'],
    );
    const fixed = ScheduledClass.parse({ ...berlin, tz: undefined });
    assert.equal(nextOccurrence(fixed, Date.UTC(2026, 2, 27))?.start, Date.UTC(2026, 3, 2, 14));
    assert.equal(ScheduledClass.safeParse({ ...berlin, tz: 'Mars/Olympus' }).success, false);
  });
});
