import { useCallback, useState, type FormEvent } from 'react';
import type { ScheduledClass, UpcomingClass } from '../../../protocol';
import { api, ApiError } from './api';
import { ClassLink } from './ClassLink';
import { useT, type T } from './i18n';
import { usePoll } from './usePoll';

/**
 * A room's timetable: each class's next occurrence with its join code, link and QR code; a form
 * to schedule a class; the room's calendar feed for teachers' calendars.
 */
export function Schedule({ roomId }: { roomId: string }) {
  const { t } = useT();
  const load = useCallback(() => api.schedule(roomId), [roomId]);
  const { data, refresh } = usePoll(load, 5000);
  const [problem, setProblem] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  if (!data) return null;
  const save = (classes: ScheduledClass[]) =>
    api.setSchedule(roomId, classes).then(
      () => {
        setProblem('');
        refresh();
        return true;
      },
      (e: unknown) => {
        setProblem(problemText(t, e));
        return false;
      },
    );
  const remove = (c: UpcomingClass) => {
    if (!window.confirm(t('schedule.removeConfirm', { title: c.title }))) return;
    void save(data.classes.filter((x) => x.id !== c.id));
  };
  return (
    <section className="panel schedule" aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t('schedule.title')}</h2>
      {data.upcoming.length === 0 ? (
        <p className="muted">{t('schedule.none')}</p>
      ) : (
        <ul className="classes">
          {data.upcoming.map((c) => (
            <li key={c.id}>
              <Occurrence c={c} />
              <div className="row">
                <button
                  aria-expanded={open === c.id}
                  onClick={() => setOpen(open === c.id ? null : c.id)}
                >
                  {t('schedule.linkAndQr')}
                </button>
                <button className="danger" onClick={() => remove(c)}>
                  {t('schedule.remove')}
                </button>
              </div>
              {open === c.id && <ClassLink c={c} />}
            </li>
          ))}
        </ul>
      )}
      <NewClass onAdd={(c) => save([...data.classes, c])} />
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <Calendar roomId={roomId} path={data.calendar} onChanged={refresh} />
    </section>
  );
}

function Occurrence({ c }: { c: UpcomingClass }) {
  const { t, lang } = useT();
  const day = new Date(c.start).toLocaleDateString(lang, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  });
  const at = (ms: number) =>
    new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  return (
    <div className="occurrence">
      <strong>{c.title}</strong>
      {c.teacher && <span className="muted"> · {c.teacher}</span>}
      <div>
        {c.running && <span className="badge live">{t('schedule.now')}</span>}
        {day}, {at(c.start)}–{at(c.end)}
        {c.weekly && ` · ${t('schedule.weekly')}`}
        {c.record && ` · ${t('schedule.recorded')}`}
      </div>
      <div>
        {t('schedule.code')}{' '}
        <code className="code">
          {c.code.slice(0, 3)} {c.code.slice(3)}
        </code>
      </div>
    </div>
  );
}

/** Local date and times from the form, as the epoch milliseconds the timetable keeps. */
function epoch(date: string, time: string): number {
  return new Date(`${date}T${time}`).getTime();
}

function NewClass({ onAdd }: { onAdd: (c: ScheduledClass) => Promise<boolean> }) {
  const { t } = useT();
  const today = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const [form, setForm] = useState({
    title: '',
    teacher: '',
    date: `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`,
    start: '09:00',
    end: '09:45',
    weekly: true,
    record: false,
  });
  const field =
    (k: keyof typeof form) => (e: { target: { value: string; checked: boolean; type: string } }) =>
      setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const start = epoch(form.date, form.start);
    let end = epoch(form.date, form.end);
    if (end <= start) end += 24 * 3600_000; // ends after midnight
    void onAdd({
      id: `c${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`,
      title: form.title.trim(),
      teacher: form.teacher.trim(),
      start,
      end,
      weekly: form.weekly,
      // Weekly classes keep their time here across daylight-saving changes.
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
      record: form.record,
    }).then((added) => added && setForm({ ...form, title: '' }));
  };
  return (
    <form className="new-class" onSubmit={submit} aria-label={t('schedule.add')}>
      <h3>{t('schedule.add')}</h3>
      <label>
        {t('schedule.classTitle')}
        <input value={form.title} onChange={field('title')} maxLength={80} required />
      </label>
      <label>
        {t('schedule.teacher')}
        <input value={form.teacher} onChange={field('teacher')} maxLength={80} />
      </label>
      <div className="row">
        <label>
          {t('schedule.date')}
          <input type="date" value={form.date} onChange={field('date')} required />
        </label>
        <label>
          {t('schedule.start')}
          <input type="time" value={form.start} onChange={field('start')} required />
        </label>
        <label>
          {t('schedule.end')}
          <input type="time" value={form.end} onChange={field('end')} required />
        </label>
      </div>
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={form.weekly} onChange={field('weekly')} />
          {t('schedule.everyWeek')}
        </label>
        <label className="check">
          <input type="checkbox" checked={form.record} onChange={field('record')} />
          {t('schedule.recordIt')}
        </label>
        <button type="submit">{t('schedule.submit')}</button>
      </div>
    </form>
  );
}

function Calendar({
  roomId,
  path,
  onChanged,
}: {
  roomId: string;
  path: string;
  onChanged: () => void;
}) {
  const { t } = useT();
  const url = `${window.location.origin}${path}`;
  const renew = () => {
    if (!window.confirm(t('calendar.renewConfirm'))) return;
    void api.newCalendar(roomId).then(onChanged);
  };
  return (
    <div className="calendar">
      <h3>{t('calendar.title')}</h3>
      <p className="muted">{t('calendar.hint')}</p>
      <div className="row">
        <input readOnly value={url} aria-label={t('calendar.address')} />
        <button onClick={() => void navigator.clipboard?.writeText(url)}>{t('copy')}</button>
        <button onClick={renew}>{t('calendar.renew')}</button>
      </div>
    </div>
  );
}

function problemText(t: T, e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  switch (e.code) {
    case 'SCHEDULE_OVERLAP':
      return t('schedule.overlap');
    case 'SCHEDULE_INVALID':
      return t('schedule.invalid');
    case 'SCHEDULE_FULL':
      return t('schedule.full');
    default:
      return e.message;
  }
}
