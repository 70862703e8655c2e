/**
 * A room's timetable: classes the console schedules (title, teacher, start and end, weekly or
 * once, recorded or not). The room host keeps it and opens and ends each class by itself; the
 * same rules refuse a bad timetable wherever it is given (the cloud's API, the host).
 */
import { z } from 'zod';

export const SCHEDULE_LIMITS = {
  entries: 200,
  titleMax: 80,
  /** A class lasts at least 5 minutes and at most 12 hours. */
  minMs: 5 * 60_000,
  maxMs: 12 * 3600_000,
  /** Teachers are warned this long before a scheduled class ends. */
  warnMs: 5 * 60_000,
  /** One extension adds 5–60 minutes. */
  extendMaxMin: 60,
} as const;

const WEEK = 7 * 24 * 3600_000;

const zones = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(tz: string): Intl.DateTimeFormat {
  let f = zones.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      ...{ year: 'numeric', month: 'numeric', day: 'numeric' },
      ...{ hour: 'numeric', minute: 'numeric', second: 'numeric' },
    });
    zones.set(tz, f);
  }
  return f;
}

function validZone(tz: string): boolean {
  try {
    zoneFormat(tz);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `t` (ms; +3 600 000 for Berlin in winter). */
export function zoneOffset(t: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormat(tz).formatToParts(new Date(t))) parts[p.type] = Number(p.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  return local - Math.floor(t / 1000) * 1000;
}

export const ScheduledClass = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  title: z.string().trim().min(1).max(SCHEDULE_LIMITS.titleMax),
  teacher: z.string().trim().max(SCHEDULE_LIMITS.titleMax).default(''),
  /** Host clock, ms since the epoch (the first one for a weekly class). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  weekly: z.boolean().default(false),
  /**
   * The time zone it was scheduled in (IANA, e.g. `Europe/Berlin`): a weekly class keeps its
   * wall-clock time there across daylight-saving changes. Absent: every 7 × 24 h.
   */
  tz: z.string().max(64).refine(validZone, 'an IANA time zone').optional(),
  /** Recorded from its start to its end. */
  record: z.boolean().default(false),
  /**
   * The class's secret (the cloud gives one): each occurrence's join code comes from it
   * (server-kit/classCode.ts), so the console can hand out a class's link and code before it
   * starts, and the host opens the class with that same code.
   */
  key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22,64}$/)
    .optional(),
});
export type ScheduledClass = z.infer<typeof ScheduledClass>;

/** The whole timetable (each change sends it whole: the newest one wins). */
export const Timetable = z.object({ classes: z.array(ScheduledClass) });
export type Timetable = z.infer<typeof Timetable>;

/** One occurrence of a scheduled class. */
export interface Occurrence {
  id: string;
  key?: string;
  title: string;
  teacher: string;
  start: number;
  end: number;
  record: boolean;
}

export type ScheduleProblem =
  | { code: 'SCHEDULE_FULL'; message: string }
  | { code: 'SCHEDULE_INVALID'; message: string }
  | { code: 'SCHEDULE_OVERLAP'; message: string };

/** What is wrong with a timetable, or null when it is fine. */
export function scheduleProblem(classes: readonly ScheduledClass[]): ScheduleProblem | null {
  if (classes.length > SCHEDULE_LIMITS.entries) {
    return { code: 'SCHEDULE_FULL', message: `at most ${SCHEDULE_LIMITS.entries} classes` };
  }
  const ids = new Set<string>();
  for (const c of classes) {
    const length = c.end - c.start;
    if (length < SCHEDULE_LIMITS.minMs || length > SCHEDULE_LIMITS.maxMs) {
      return {
        code: 'SCHEDULE_INVALID',
        message: `"${c.title}": a class ends 5 minutes to 12 hours after it starts`,
      };
    }
    if (ids.has(c.id)) return { code: 'SCHEDULE_INVALID', message: `id ${c.id} given twice` };
    ids.add(c.id);
  }
  // Weekly classes repeat with the week: compare every pair within one week of each other.
  for (let i = 0; i < classes.length; i++) {
    for (let j = i + 1; j < classes.length; j++) {
      const a = classes[i]!;
      const b = classes[j]!;
      if (overlaps(a, b)) {
        return {
          code: 'SCHEDULE_OVERLAP',
          message: `"${a.title}" and "${b.title}" overlap`,
        };
      }
    }
  }
  return null;
}

function overlaps(a: ScheduledClass, b: ScheduledClass): boolean {
  if (!a.weekly && !b.weekly) return a.start < b.end && b.start < a.end;
  if (a.weekly && b.weekly) {
    // Positions within the week.
    const d = (((b.start - a.start) % WEEK) + WEEK) % WEEK;
    const la = a.end - a.start;
    const lb = b.end - b.start;
    return d < la || WEEK - d < lb;
  }
  const [weekly, once] = a.weekly ? [a, b] : [b, a];
  if (once.end <= weekly.start) return false;
  const at = occurrenceAt(weekly, once.start);
  const k = at ?? nextOccurrence(weekly, once.start);
  return k !== null && k.start < once.end && once.start < k.end;
}

function occurrence(c: ScheduledClass, start: number): Occurrence {
  return {
    id: c.id,
    title: c.title,
    teacher: c.teacher,
    start,
    end: start + (c.end - c.start),
    record: c.record,
    ...(c.key !== undefined && { key: c.key }),
  };
}

/**
 * The start of a class's `k`-th occurrence: a week after the one before, at the same wall-clock
 * time in its time zone (an hour apart in UTC across a daylight-saving change).
 */
function startOf(c: ScheduledClass, k: number): number {
  const nominal = c.start + k * WEEK;
  return c.tz ? nominal + zoneOffset(c.start, c.tz) - zoneOffset(nominal, c.tz) : nominal;
}

/** The occurrences that can hold `now` or follow it, around the week it falls in. */
function candidates(c: ScheduledClass, now: number): number[] {
  const k = Math.floor((now - c.start) / WEEK);
  return [k - 1, k, k + 1, k + 2].filter((i) => i >= 0);
}

/** The occurrence of `c` running at `now`, if any. */
export function occurrenceAt(c: ScheduledClass, now: number): Occurrence | null {
  if (now < c.start) return null;
  const ks = c.weekly ? candidates(c, now) : [0];
  for (const k of ks) {
    const o = occurrence(c, startOf(c, k));
    if (o.start <= now && now < o.end) return o;
  }
  return null;
}

/** The first occurrence of `c` starting after `now`, if any. */
export function nextOccurrence(c: ScheduledClass, now: number): Occurrence | null {
  if (now < c.start) return occurrence(c, c.start);
  if (!c.weekly) return null;
  for (const k of candidates(c, now)) {
    const start = startOf(c, k);
    if (start > now) return occurrence(c, start);
  }
  return null;
}

/** The class running at `now` and the next one to start, in a timetable. */
export function timetableAt(
  classes: readonly ScheduledClass[],
  now: number,
): { current: Occurrence | null; next: Occurrence | null } {
  let current: Occurrence | null = null;
  let next: Occurrence | null = null;
  for (const c of classes) {
    current ??= occurrenceAt(c, now);
    const n = nextOccurrence(c, now);
    if (n && (!next || n.start < next.start)) next = n;
  }
  return { current, next };
}

/** The class running at `now`, else its next occurrence (null: a one-off class that is over). */
export function currentOrNext(c: ScheduledClass, now: number): Occurrence | null {
  return occurrenceAt(c, now) ?? nextOccurrence(c, now);
}

/** Every occurrence of `c` that overlaps [from, to), soonest first. */
export function occurrencesBetween(c: ScheduledClass, from: number, to: number): Occurrence[] {
  const out: Occurrence[] = [];
  const first = occurrenceAt(c, from) ?? nextOccurrence(c, from);
  if (!first || first.start >= to) return out;
  out.push(first);
  if (!c.weekly) return out;
  // The first one's index, then each week after it.
  let k = Math.round((first.start - c.start) / WEEK) + 1;
  for (let start = startOf(c, k); start < to; start = startOf(c, ++k)) {
    out.push(occurrence(c, start));
  }
  return out;
}
