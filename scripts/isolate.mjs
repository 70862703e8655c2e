// Runs a command in a private network namespace with only loopback up (root only), so Chromium's
// WebRTC cannot even gather the machine's other addresses (see shared/TESTING.md).
import { spawnSync } from 'node:child_process';

/** True when `unshare -n` works here (root, util-linux). */
export function canIsolate() {
  return (
    process.getuid?.() === 0 &&
    !process.env.LECTERN_NO_NETNS &&
    spawnSync('unshare', ['-n', 'true']).status === 0
  );
}

/** Runs argv (isolated when possible) with inherited stdio; returns its exit status. */
export function runIsolated(argv) {
  if (!canIsolate()) return spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' }).status ?? 1;
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `ip link set lo up && exec ${quoted}`;
  return spawnSync('unshare', ['-n', 'sh', '-c', script], { stdio: 'inherit' }).status ?? 1;
}
