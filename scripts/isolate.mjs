// Runs a command in a private network namespace with only loopback up (root only), so Chromium's
// WebRTC cannot even gather the machine's other addresses (tests talk to 127.0.0.1 only).
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
  // Multicast on loopback lets the mDNS discovery test run inside the namespace too.
  const script =
    'ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && ' +
    `LECTERN_NETNS=1 exec ${quoted}`;
  return spawnSync('unshare', ['-n', 'sh', '-c', script], { stdio: 'inherit' }).status ?? 1;
}
