/**
 * The room host's timetable at work: it keeps the classes the console scheduled (in
 * `<data dir>/schedule.json`, 0600, through restarts and offline periods), and at each class's
 * start opens it with a fresh join code (and starts recording when the class asks for it); it
 * warns the teachers before the end and then ends the class, unless a teacher extended it.
 * A class a teacher ended early stays ended.
 */
import { promises as fs } from 'node:fs';
import {
  ErrorCode,
  ProtocolError,
  SCHEDULE_LIMITS,
  scheduleProblem,
  ScheduledClass,
  timetableAt,
  type Occurrence,
  type Timetable,
} from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { writeFileAtomic } from '../../server-kit/atomicFile';
import { classCode } from '../../server-kit/classCode';
import type { Room } from '../Room';
import type { RoomRegistry } from '../RoomRegistry';
import type { Scheduler } from '../RoomTimetable';

const log = createLogger('schedule');

export interface ClassSchedulerOptions {
  file: string;
  /** How often the clock is looked at (ms). */
  tickMs?: number;
  /** Teachers are warned this long before the end (ms). */
  warnMs?: number;
}

/** What is kept on disk: the timetable, and how its current class stands. */
interface Saved {
  classes: ScheduledClass[];
  /** The running occurrence (`<id>@<start>`) and its end as extended. */
  running: { key: string; end: number } | null;
  /** The last occurrence that ended (by itself or by a teacher): it does not open again. */
  done: string | null;
}

const keyOf = (o: Occurrence) => `${o.id}@${o.start}`;

export class ClassScheduler implements Scheduler {
  private saved: Saved = { classes: [], running: null, done: null };
  private active: Occurrence | null = null;
  private warned = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private ending = false;

  constructor(
    private readonly room: Room,
    private readonly registry: RoomRegistry,
    private readonly opts: ClassSchedulerOptions,
  ) {
    room.timetable.scheduler = this;
    room.events.on('classEnded', () => this.classEnded());
  }

  async start(): Promise<void> {
    const text = await fs.readFile(this.opts.file, 'utf8').catch(() => null);
    if (text !== null) {
      try {
        const raw = JSON.parse(text) as Saved;
        this.saved = {
          classes: raw.classes.map((c) => ScheduledClass.parse(c)),
          running: raw.running ?? null,
          done: raw.done ?? null,
        };
      } catch (err) {
        log.error({ err }, `${this.opts.file} unreadable: no timetable`);
      }
    }
    this.tick();
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 1000);
    this.timer.unref();
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    return this.writing;
  }

  /** A new timetable (the whole of it): refused with a code when it is not one. */
  set(timetable: Timetable): void {
    const classes = timetable.classes.map((c) => ScheduledClass.parse(c));
    const problem = scheduleProblem(classes);
    if (problem) throw new ProtocolError(ErrorCode[problem.code], problem.message);
    this.saved.classes = classes;
    log.info(`timetable: ${classes.length} class(es)`);
    this.save();
    this.tick();
  }

  async extend(minutes: number): Promise<number> {
    const active = this.active;
    if (!active) throw new ProtocolError(ErrorCode.NOT_SCHEDULED, 'no scheduled class is running');
    const end = active.end + minutes * 60_000;
    const { next } = timetableAt(this.saved.classes, active.end - 1);
    if (next && next.start < end && keyOf(next) !== keyOf(active)) {
      throw new ProtocolError(
        ErrorCode.SCHEDULE_OVERLAP,
        `"${next.title}" starts at ${new Date(next.start).toISOString()}`,
      );
    }
    if (end - active.start > SCHEDULE_LIMITS.maxMs) {
      throw new ProtocolError(ErrorCode.SCHEDULE_INVALID, 'a class lasts at most 12 hours');
    }
    active.end = end;
    this.warned = false;
    this.saved.running = { key: keyOf(active), end };
    this.save();
    this.publish();
    await this.writing;
    return end;
  }

  private tick(): void {
    const now = Date.now();
    if (this.active && now >= this.active.end) {
      log.info(`scheduled class "${this.active.title}" ends`);
      this.ending = true;
      this.room.endClass();
      this.ending = false;
    }
    if (!this.active) {
      const { current } = timetableAt(this.saved.classes, now);
      if (current && keyOf(current) !== this.saved.done) this.begin(current);
    }
    const active = this.active;
    if (
      active &&
      !this.warned &&
      now >= active.end - (this.opts.warnMs ?? SCHEDULE_LIMITS.warnMs)
    ) {
      this.warned = true;
      this.room.sendTeachers({
        method: 'classEnding',
        params: { title: active.title, end: active.end },
      });
    }
    this.publish();
  }

  private begin(o: Occurrence): void {
    const resumed = this.saved.running?.key === keyOf(o);
    this.active = { ...o, end: resumed ? this.saved.running!.end : o.end };
    this.warned = false;
    if (!resumed) {
      // A fresh code: nobody from before (or from a photo of the last class's code) walks in.
      // A class the cloud gave a key has the code the console showed for it.
      const code = o.key === undefined ? undefined : classCode(o.key, o);
      this.registry.rotateCode(this.room, 'newClass', code);
      this.saved.running = { key: keyOf(o), end: o.end };
      this.save();
    }
    log.info(`scheduled class "${o.title}" ${resumed ? 'resumes' : 'opens'}`);
    if (o.record) {
      this.room.recording.recorder
        ?.start({ name: o.teacher || o.title }, { upload: true })
        .catch((err: unknown) => log.warn({ err }, `"${o.title}" not recorded`));
    }
  }

  /** The class ended (by itself, or a teacher ended it early): this occurrence is done. */
  private classEnded(): void {
    const active = this.active;
    if (!active) return;
    if (!this.ending) log.info(`scheduled class "${active.title}" ended early by a teacher`);
    this.active = null;
    this.saved.done = keyOf(active);
    this.saved.running = null;
    this.save();
    this.publish();
  }

  private publish(): void {
    const now = Date.now();
    const { next } = timetableAt(this.saved.classes, now);
    const a = this.active;
    this.room.timetable.set({
      ...(a && {
        scheduled: {
          title: a.title,
          teacher: a.teacher,
          start: a.start,
          end: a.end,
          ...(this.warned && { ending: true }),
        },
      }),
      ...(next && { next: { title: next.title, start: next.start } }),
    });
  }

  private save(): void {
    const text = JSON.stringify(this.saved, null, 2);
    const file = this.opts.file;
    this.writing = this.writing.then(async () => {
      try {
        await writeFileAtomic(file, text);
      } catch (err) {
        log.error({ err }, `${file} not written`);
      }
    });
  }
}
