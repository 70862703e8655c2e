/**
 * A room's timetable on the cloud: every class gets its secret key (kept across edits, so the
 * codes the console handed out stay true), and each class's running or next occurrence is shown
 * with the code the host will open it with and the link students open.
 */
import {
  currentOrNext,
  joinLink,
  type Occurrence,
  type RoomView,
  type ScheduledClass,
  type UpcomingClass,
} from '../protocol';
import { classCode } from '../server-kit/classCode';
import { randomToken } from '../server-kit/secrets';

/** The timetable as given, each class with a key: its old one when the class was there before. */
export function withKeys(
  classes: ScheduledClass[],
  before: readonly ScheduledClass[] = [],
): ScheduledClass[] {
  const keys = new Map(before.map((c) => [c.id, c.key]));
  return classes.map((c) => ({ ...c, key: c.key ?? keys.get(c.id) ?? randomToken(24) }));
}

type Addresses = Pick<RoomView, 'joinUrl' | 'secureUrl' | 'pin'>;

/** The host's pages as its last view told them (none yet, or a view from an older cloud). */
export function addressesOf(view: Partial<Addresses> | null): Addresses {
  return {
    joinUrl: view?.joinUrl ?? null,
    secureUrl: view?.secureUrl ?? null,
    pin: view?.pin ?? null,
  };
}

/** One occurrence as the console hands it out. */
export function upcoming(
  c: ScheduledClass,
  o: Occurrence,
  at: Addresses,
  now = Date.now(),
): UpcomingClass {
  const code = c.key === undefined ? '' : classCode(c.key, o);
  const link = (page: string | null) => (page && code ? joinLink(page, code, at.pin) : null);
  return {
    id: c.id,
    title: c.title,
    teacher: c.teacher,
    start: o.start,
    end: o.end,
    weekly: c.weekly,
    record: c.record,
    running: o.start <= now && now < o.end,
    code,
    link: link(at.joinUrl),
    secureLink: link(at.secureUrl),
  };
}

/** Each class's running or next occurrence, soonest first. */
export function upcomingClasses(
  classes: readonly ScheduledClass[],
  at: Addresses,
  now = Date.now(),
): UpcomingClass[] {
  const out: UpcomingClass[] = [];
  for (const c of classes) {
    const o = currentOrNext(c, now);
    if (o) out.push(upcoming(c, o, at, now));
  }
  return out.sort((a, b) => a.start - b.start);
}
