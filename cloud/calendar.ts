/**
 * A room's iCalendar feed for teachers' calendars, at `/calendar/<room id>/<secret>.ics`: no
 * admin token (a calendar app cannot send one), a 128-bit secret instead, which the console
 * can replace. Each occurrence is its own event (from a week ago to twelve weeks ahead) because
 * each has its own join code; the event says the code and the links.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import ical from 'ical-generator';
import { occurrencesBetween, type RoomView } from '../protocol';
import { sameSecret } from '../server-kit/secrets';
import type { CloudServer } from './CloudServer';
import { addressesOf, upcoming } from './schedule';
import type { RoomRecord } from './store/CloudStore';

const DAY = 24 * 3600_000;
const PATH = /^\/calendar\/([A-Za-z0-9]{1,64})\/([A-Za-z0-9_-]{16,64})\.ics$/;

export const calendarPath = (roomId: string, secret: string) => `/calendar/${roomId}/${secret}.ics`;

export function isCalendarPath(pathname: string): boolean {
  return pathname.startsWith('/calendar/');
}

/** The feed's text for a room, as of `now`. */
export function calendarFeed(
  record: RoomRecord,
  view: Pick<RoomView, 'name' | 'joinUrl' | 'secureUrl' | 'pin'> | null,
  now = Date.now(),
): string {
  const name = view?.name ?? record.name;
  const cal = ical({
    name: `Lectern — ${name}`,
    prodId: '//Lectern//Room timetable//EN',
    ttl: 900,
  });
  const at = addressesOf(view);
  for (const c of record.schedule ?? []) {
    for (const o of occurrencesBetween(c, now - 7 * DAY, now + 12 * 7 * DAY)) {
      const u = upcoming(c, o, at, now);
      const lines = [
        c.teacher && `Teacher: ${c.teacher}`,
        `Join code: ${u.code}`,
        u.link && `Watch: ${u.link}`,
        u.secureLink && `Teach or share: ${u.secureLink}`,
        c.record && 'This class is recorded.',
      ].filter(Boolean);
      cal.createEvent({
        id: `${c.id}-${o.start}@${record.id}.lectern`,
        start: new Date(o.start),
        end: new Date(o.end),
        stamp: new Date(now),
        summary: c.title,
        location: name,
        description: lines.join('\n'),
        ...(u.link && { url: u.link }),
      });
    }
  }
  return cal.toString();
}

/** GET /calendar/<room>/<secret>.ics: the feed, or 404 for anything else under /calendar/. */
export async function serveCalendar(
  cloud: CloudServer,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const m = PATH.exec(pathname);
  const record =
    m && (req.method === 'GET' || req.method === 'HEAD') ? await cloud.store.room(m[1]!) : null;
  if (!m || !record?.calendar || !sameSecret(m[2]!, record.calendar)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  const body = calendarFeed(record, await cloud.store.view(record.id));
  res
    .writeHead(200, {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': 'private, max-age=300',
      'content-disposition': `inline; filename="${record.id}.ics"`,
    })
    .end(req.method === 'HEAD' ? undefined : body);
}
