/**
 * npm run bench:join [-- --samples 5]
 * Cold join: a new browser context (empty cache) opens the room's join link (the QR code's
 * `/?code=…`), joins as a student and decodes the teacher's 1080p share through the SFU.
 * Each phase is timed in the student's own page, from navigation start:
 * - load: until the join form can be used (HTML, the bundle, i18n, first render);
 * - join: from the click on Join until the room's view shows (the relay's answer, snapshot);
 * - media: from there to the first decoded frame of the share (SFU transport, consumer, key
 *   frame, decoder).
 * The time the robot spends filling in the form is not counted (a person takes longer, and the
 * app is waiting for them). Also prints the web client's size, gzip, as a browser fetches it.
 *
 * Ends with: RESULT cold_join_ms=<median load + join + media> bundle_gzip_kb=<x>
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/helpers/browser';
import { joinAs, startHost, WEB } from '../../test/helpers/host';
import { until } from '../../test/helpers/media';
import { PHASES, type Phases } from '../joinPhases';
import { pct } from '../measure';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '5' } } });
const SAMPLES = Number(values.samples);

function bundleGzipKb(): { total: number; entry: number; files: string[] } {
  const assets = path.join(WEB, 'assets');
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  let total = 0;
  let entry = 0;
  const files: string[] = [];
  for (const f of readdirSync(assets).filter((n) => /\.(js|css)$/.test(n))) {
    const kb = gzipSync(readFileSync(path.join(assets, f)), { level: 9 }).length / 1024;
    total += kb;
    if (html.includes(f)) entry += kb;
    files.push(`${f} ${kb.toFixed(1)} KB`);
  }
  return { total, entry, files };
}

async function main(): Promise<void> {
  const host = await startHost({ sfu: { listenIp: '127.0.0.1' } });
  await host.relay.startSfu();
  const browser = await launchChromium();
  const open = async (query: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addInitScript(PHASES);
    const page = await context.newPage();
    await page.goto(`${host.base}/?code=${host.room.code}${query}`);
    return page;
  };
  const rows: Phases[] = [];
  try {
    const teacher = await open('&capture=1920x1080');
    await joinAs(teacher, 'Teacher', 'Teacher');
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    // One student already watching: the SFU is carrying the share when the newcomers arrive.
    const first = await open('');
    await joinAs(first, 'Student', 'First');
    await until(
      'first student decodes',
      () => first.evaluate('window.__join.frame !== null'),
      Boolean,
      20_000,
    );
    for (let i = 0; i < SAMPLES; i++) {
      const page = await open('');
      await joinAs(page, 'Student', `Student ${i + 1}`);
      await until(
        'decoding',
        () => page.evaluate('window.__join.frame !== null'),
        Boolean,
        20_000,
        20,
      );
      const p = (await page.evaluate('window.__join')) as Phases;
      rows.push(p);
      console.log(
        `  student ${i + 1}: load ${p.form.toFixed(0)} ms (html ${p.html.toFixed(0)}, scripts ${p.scripts.toFixed(0)}, DOMContentLoaded ${p.dcl.toFixed(0)}), (form filled by the robot in ${(p.click - p.form).toFixed(0)} ms), join ${(p.room - p.click).toFixed(0)} ms, media ${(p.frame - p.room).toFixed(0)} ms`,
      );
      await page.context().close();
    }
  } finally {
    await browser.close();
    await host.relay.close();
  }
  const med = (f: (p: Phases) => number) => pct(rows.map(f), 50);
  const load = med((p) => p.form);
  const join = med((p) => p.room - p.click);
  const media = med((p) => p.frame - p.room);
  const total = med((p) => p.form + (p.frame - p.click));
  const size = bundleGzipKb();
  console.log(
    `web client, gzip: ${size.total.toFixed(1)} KB in all, ${size.entry.toFixed(1)} KB loaded at start (${size.files.join(', ')})`,
  );
  console.log(
    `cold join (median of ${rows.length}): load ${load.toFixed(0)} + join ${join.toFixed(0)} + media ${media.toFixed(0)} = ${total.toFixed(0)} ms`,
  );
  console.log(`RESULT cold_join_ms=${total.toFixed(0)} bundle_gzip_kb=${size.entry.toFixed(1)}`);
}

await main();
