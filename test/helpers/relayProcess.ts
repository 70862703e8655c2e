/**
 * A relay in its own process for fuzzing and benchmarks: limits from LECTERN_LIMITS (JSON),
 * two rooms; prints one JSON line with the port and the rooms' secrets, exits on SIGTERM.
 */
import { RelayServer } from '../../local-ws';
import { hashCredential } from '../../server-kit/secrets';

const limits = JSON.parse(process.env['LECTERN_LIMITS'] ?? '{}') as Record<string, number>;
const relay = new RelayServer({
  host: '127.0.0.1',
  port: 0,
  limits,
  teacherCredentialHash: hashCredential(process.env['LECTERN_TEACHER'] ?? 'teacher'),
});
const a = relay.registry.createRoom('Room A');
const b = relay.registry.createRoom('Room B');
const port = await relay.listen();
console.log(
  JSON.stringify({
    port,
    pid: process.pid,
    rooms: [a, b].map((r) => ({ code: r.code, screenKey: r.screenKey })),
  }),
);
process.on('SIGTERM', () => {
  void relay.close().then(() => process.exit(0));
});
