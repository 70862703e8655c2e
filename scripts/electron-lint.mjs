// Electron security lint: @doyensec/electronegativity over the built main, preload and page.
// It exits 0 whatever it finds, so this reads its CSV and fails on any HIGH or MEDIUM finding
// without a written justification in build/electronegativity-justifications.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIsolated } from './isolate.mjs';

const root = path.resolve(import.meta.dirname, '..');
const justifications = JSON.parse(
  fs.readFileSync(path.join(root, 'build/electronegativity-justifications.json'), 'utf8'),
);
const electronVersion = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;

/** RFC 4180 CSV: quoted fields, doubled quotes, commas inside quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field.trim()]);
  return rows;
}

for (const dir of ['out/main', 'out/preload', 'out/renderer/index.html']) {
  if (!fs.existsSync(path.join(root, dir))) {
    console.error(`electron-lint: ${dir} missing; run npm run build first`);
    process.exit(1);
  }
}
const scan = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-electronegativity-'));
fs.cpSync(path.join(root, 'out/main'), path.join(scan, 'main'), { recursive: true });
fs.cpSync(path.join(root, 'out/preload'), path.join(scan, 'preload'), { recursive: true });
fs.copyFileSync(path.join(root, 'out/renderer/index.html'), path.join(scan, 'index.html'));
fs.copyFileSync(path.join(root, 'package.json'), path.join(scan, 'package.json'));
const report = path.join(scan, 'report.csv');
const bin = path.join(root, 'node_modules/.bin/electronegativity');
// Offline on purpose (it would try to fetch Electron's release list): in the test namespace.
const args = [bin, '-i', scan, '-o', report, '-r', '-v', 'false', '-s', 'medium'];
const status = runIsolated([...args, '-e', electronVersion]);
if (status !== 0 || !fs.existsSync(report)) {
  console.error('electron-lint: electronegativity did not produce a report');
  process.exit(1);
}
const [header, ...rows] = parseCsv(fs.readFileSync(report, 'utf8')).filter((r) => r.length > 1);
// Its global CSP check always reports (LOW when a CSP is found): no rows means a failed scan.
if (!header?.includes('severity') || rows.length === 0) {
  console.error('electron-lint: empty electronegativity report (the scan failed)');
  process.exit(1);
}
const col = (name) => header.indexOf(name);
const findings = rows.map((r) => ({
  check: r[col('issue')],
  severity: r[col('severity')],
  file: r[col('filename')],
  sample: r[col('sample')],
}));
const used = new Set();
const serious = (f) => f.severity === 'HIGH' || f.severity === 'MEDIUM';
const unjustified = findings.filter(serious).filter((f) => {
  const j = justifications.findIndex((x) => x.check === f.check && x.file === f.file);
  if (j >= 0) used.add(j);
  return j < 0;
});
for (const f of findings) {
  const mark = !serious(f) ? 'low' : unjustified.includes(f) ? 'FINDING' : 'justified';
  console.log(`${mark.padEnd(10)} ${f.severity} ${f.check} ${f.file}: ${f.sample}`);
}
justifications.forEach((j, i) => {
  if (!used.has(i)) console.log(`stale justification (no longer found): ${j.check} ${j.file}`);
});
fs.rmSync(scan, { recursive: true, force: true });
console.log(
  `electron-lint: ${findings.filter(serious).length} HIGH/MEDIUM findings, ${unjustified.length} without justification`,
);
process.exit(unjustified.length === 0 ? 0 : 1);
