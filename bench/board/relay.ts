/**
 * The relay for bench:board, in its own process so its CPU is its own: serves the web client,
 * one room; prints one JSON line (port, join code, screen key, pid); exits on SIGTERM.
 */
import path from 'node:path';
import { RelayServer } from '../../local-ws';
import { hashCredential } from '../../server-kit/secrets';

const relay = new RelayServer({
  host: '127.0.0.1',
  port: 0,
  staticDir: path.resolve('out/web'),
  teacherCredentialHash: hashCredential('bench'),
});
const room = relay.registry.createRoom('Bench');
const port = await relay.listen();
console.log(JSON.stringify({ port, code: room.code, screenKey: room.screenKey, pid: process.pid }));
process.on('SIGTERM', () => void relay.close().then(() => process.exit(0)));
