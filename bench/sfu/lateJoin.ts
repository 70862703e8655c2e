/**
 * Late joiner in Chromium: a teacher shares a 1080p screen through the SFU to one student;
 * then students join one by one and each measures, in its own page, from the moment the relay
 * admitted it to the first decoded frame of the teacher's share (requestVideoFrameCallback).
 */
import { joinAs } from '../../test/helpers/host';
import { until } from '../../test/helpers/media';
import { withSfuRoom } from './room';

// Expressions evaluated in the page (strings: the page's CSP forbids eval-based waits).
const DECODING = "(document.querySelector('.viewer video')?.videoWidth ?? 0) > 0";
const FIRST_FRAME = 'window.__late.frame !== null';

/** Installed before Join: time of `joined` in the store and of the first decoded frame. */
const WATCH = `
  window.__late = { joined: null, frame: null };
  const store = window.lectern.store;
  const un = store.subscribe((s) => {
    if (s.status === 'joined' && window.__late.joined === null) { window.__late.joined = performance.now(); un(); }
  });
  const look = () => {
    const v = document.querySelector('.viewer video');
    if (v && v.requestVideoFrameCallback) v.requestVideoFrameCallback(() => { window.__late.frame = performance.now(); });
    else setTimeout(look, 5);
  };
  look();
`;

export async function lateJoinMs(samples: number): Promise<number[]> {
  return withSfuRoom({ width: 1280, height: 720 }, async ({ open }) => {
    const teacher = await open('capture=1920x1080');
    await joinAs(teacher, 'Teacher', 'Teacher');
    const first = await open('');
    await joinAs(first, 'Student', 'First');
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    await first.locator('.viewer video').waitFor();
    await until('first student decodes', () => first.evaluate(DECODING), Boolean, 20_000);
    const out: number[] = [];
    for (let i = 0; i < samples; i++) {
      const page = await open('');
      await page.evaluate(WATCH);
      await joinAs(page, 'Student', `Late ${i + 1}`);
      await until('late joiner decodes', () => page.evaluate(FIRST_FRAME), Boolean, 20_000, 20);
      const t = (await page.evaluate('window.__late')) as { joined: number; frame: number };
      out.push(t.frame - t.joined);
      await page.context().close();
    }
    return out;
  });
}
