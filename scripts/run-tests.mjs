// Runs every test/**/*.test.ts with Node's test runner (Node 20's --test does not expand globs).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runIsolated } from './isolate.mjs';

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
  // A test that hangs (a socket nobody closes after a failure) fails instead of stalling CI.
  '--test-timeout=300000',
  '--test-reporter=spec',
  ...files,
];
// Everything under test talks to 127.0.0.1 only; as root it runs in a private network namespace.
process.exit(runIsolated(node));
