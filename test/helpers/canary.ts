/**
 * A well-behaved student in its own process (so an attacker's load in the test process cannot
 * skew its timings): it joins, pings every 20 ms and chats once a second (a human rate), until
 * stdin closes. Prints a ready line, then one JSON line: round-trip times and whether it was
 * ever disconnected.
 *   canary.ts <ws url> <join code> [name]
 */
import { TestClient } from './TestClient';

const [url, code, name = 'Canary'] = process.argv.slice(2) as [string, string, string?];
const c = await TestClient.connect(url);
await c.join({ role: 'student', name, code });
let closed: number | null = null;
void c.closed.then((e) => (closed = e.code));
let running = true;
process.stdin.on('end', () => (running = false));
process.stdin.resume();
console.log(JSON.stringify({ ready: true, peerId: c.peerId }));

const pings: number[] = [];
const chats: number[] = [];
let lost = 0;
let seq = 0;
let lastChat = 0;
const startedAt = Date.now();
while (running && closed === null) {
  const t0 = performance.now();
  try {
    await c.request('ping', {});
    if (Date.now() - startedAt > 500) pings.push(performance.now() - t0);
    if (Date.now() - lastChat >= 1000) {
      lastChat = Date.now();
      const text = `canary ${++seq}`;
      const t1 = performance.now();
      const echoed = c.waitFor('chatPosted', (p) => p.message.text === text, 5000);
      await c.request('chat', { text });
      await echoed;
      chats.push(performance.now() - t1);
    }
  } catch {
    lost++;
  }
  await new Promise((r) => setTimeout(r, 20));
}
console.log(JSON.stringify({ pings, chats, lost, closed }));
process.exit(0);
