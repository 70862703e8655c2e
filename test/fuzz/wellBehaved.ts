/**
 * The well-behaved pair, in its own process so the fuzzer's load cannot skew its timings:
 * a teacher sends numbered chat to a student and the student pings, until stdin closes.
 * Prints one JSON line: chats sent, chats received in order, ping times.
 */
import { TestClient } from '../helpers/TestClient';

const [url, code] = process.argv.slice(2) as [string, string];
const teacher = await TestClient.connect(url);
await teacher.join({ role: 'teacher', name: 'T', code, credential: 'teacher' });
const student = await TestClient.connect(url);
await student.join({ role: 'student', name: 'S', code });

const got: number[] = [];
student.rpc.on('chatPosted', (p) => {
  if (p.message.from === teacher.peerId && /^#\d+$/.test(p.message.text)) {
    got.push(Number(p.message.text.slice(1)));
  }
});
let running = true;
process.stdin.on('end', () => (running = false));
process.stdin.resume();
console.log(JSON.stringify({ ready: true, peerIds: [teacher.peerId, student.peerId] }));

let sent = 0;
const pings: number[] = [];
const startedAt = Date.now();
while (running) {
  await teacher.request('chat', { text: `#${sent++}` });
  const t0 = performance.now();
  await student.request('ping', {});
  // The first second is JIT warm-up in every process; the class is measured after it.
  if (Date.now() - startedAt > 1000) pings.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 25));
}
await new Promise((r) => setTimeout(r, 100));
const inOrder = got.every((n, i) => n === i);
console.log(JSON.stringify({ sent, received: got.length, inOrder, pings }));
process.exit(0);
