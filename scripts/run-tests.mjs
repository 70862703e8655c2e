// Runs every test/**/*.test.ts with Node's test runner (Node 20's --test does not expand globs).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const only = process.argv.slice(2);
const files = find('test')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const node = [
  process.execPath,
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  ...files,
];
// Everything under test talks to 127.0.0.1 only. As root, run it in a private network namespace
// so Chromium's WebRTC cannot even gather the machine's other addresses (see shared/TESTING.md).
const isolate =
  process.getuid?.() === 0 &&
  !process.env.LECTERN_NO_NETNS &&
  spawnSync('unshare', ['-n', 'true']).status === 0;
const quoted = node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
const result = isolate
  ? spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${quoted}`], {
      stdio: 'inherit',
    })
  : spawnSync(node[0], node.slice(1), { stdio: 'inherit' });
process.exit(result.status ?? 1);
