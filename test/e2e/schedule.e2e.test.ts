import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ClassScheduler } from '../../local-ws/schedule/ClassScheduler';
import { screenshot } from '../helpers/browser';
import { hostWithBrowser, joinAs } from '../helpers/host';
import { checkAccessibility } from '../helpers/ui';

const MIN = 60_000;

/** What a timetable shows people: the idle room screen's next class, a teacher's end warning. */
describe('scheduled classes on the room screen and for the teacher', () => {
  const env = hostWithBrowser();
  let scheduler: ClassScheduler | null = null;
  after(() => scheduler?.stop());

  it('the idle screen says what is next; the teacher is warned before the end and extends', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lectern-sched-')), 'schedule.json');
    // Warned at once: the running class ends within the warning time.
    scheduler = new ClassScheduler(env.room, env.relay.registry, {
      file,
      tickMs: 200,
      warnMs: 10 * MIN,
    });
    await scheduler.start();
    const now = Date.now();
    const next = new Date(now + 2 * 3600_000);
    const violin = {
      id: 'violin',
      title: 'Violin',
      teacher: 'Ms. Park',
      start: now + 2 * 3600_000,
      end: now + 3 * 3600_000,
      weekly: true,
      record: false,
    };
    scheduler.set({ classes: [violin] });
    const screenCtx = await env.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const screen = await screenCtx.newPage();
    await screen.goto(`${env.base}/?screen=${env.room.screenKey}`);
    const time = next.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });
    await screen.getByText(`Next: Violin — ${time}`).waitFor();
    await screenshot(screen, 'schedule-screen-next');
    const axe: string[] = [];
    await checkAccessibility(screen, 'idle screen with the next class', axe);

    // A class running now, ending in 4 minutes: the teacher is warned and gives it 10 more.
    scheduler.set({
      classes: [
        {
          id: 'theory',
          title: 'Theory',
          teacher: 'Ms. Park',
          start: now + 4 * MIN - 30 * MIN,
          end: now + 4 * MIN,
          weekly: false,
          record: false,
        },
        violin,
      ],
    });
    const teacherCtx = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const teacher = await teacherCtx.newPage();
    await teacher.goto(`${env.base}/?code=${env.room.code}`);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    const banner = teacher.locator('.class-ending');
    await banner.getByText('“Theory” ends at').waitFor();
    await screenshot(teacher, 'schedule-teacher-ending');
    await checkAccessibility(teacher, 'teacher warned of the end', axe);
    console.log(`axe: ${axe.join('; ')}`);
    await banner.getByRole('button', { name: '+10 min' }).click();
    await banner.waitFor({ state: 'detached' });
    assert.equal(env.room.info().scheduled?.end, now + 14 * MIN);
    await screenCtx.close();
    await teacherCtx.close();
  });
});
