/**
 * The cloud's Prometheus metrics on a real cloud, relay and link: operators only; the room's
 * one link, its devices, the host's messages by kind, commands, and Node's process metrics.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_TOKEN, linkedRoom } from '../helpers/cloud';

/** One sample's value from Prometheus' text format (null: absent). */
function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('/metrics: the room link, its devices, host messages and commands, for operators', async () => {
  const linked = await linkedRoom({ name: 'Room 101' });
  const { cloud, relay, id } = linked;
  const scrape = async (token = ADMIN_TOKEN) => {
    const res = await fetch(`${cloud.base}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  try {
    assert.equal((await scrape('wrong')).status, 401);
    assert.equal((await fetch(`${cloud.base}/metrics`)).status, 401);
    await relay.teacher('Ms. Park');
    await relay.student('Ann');
    await until(
      async () => sample((await scrape()).text, 'lectern_cloud_devices') === 2,
      'two devices',
    );
    const first = await scrape();
    assert.equal(first.status, 200);
    assert.match(first.type ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(sample(first.text, 'lectern_cloud_links'), 1, 'one link for the room');
    assert.equal(sample(first.text, 'lectern_cloud_rooms_online'), 1);
    assert.equal(sample(first.text, 'lectern_cloud_link_connects_total'), 1);
    assert.ok(sample(first.text, 'lectern_cloud_link_resyncs_total')! >= 1);
    assert.ok(sample(first.text, 'lectern_cloud_host_messages_total{kind="snapshot"}')! >= 1);
    assert.ok(sample(first.text, 'lectern_cloud_host_messages_total{kind="event"}')! >= 2);
    assert.ok(sample(first.text, 'lectern_cloud_process_cpu_seconds_total')! > 0);
    assert.equal(sample(first.text, 'lectern_cloud_commands_total'), 0);

    const sent = await cloud.api('POST', `/api/rooms/${id}/commands`, {
      type: 'message',
      text: 'Fire drill at 10:00',
      seconds: 10,
    });
    assert.equal(sent.status, 202);
    await until(
      async () =>
        sample((await scrape()).text, 'lectern_cloud_host_messages_total{kind="result"}') === 1,
      'the result',
    );
    const second = await scrape();
    assert.equal(sample(second.text, 'lectern_cloud_commands_total'), 1);
    // Totals only grow between scrapes.
    assert.ok(
      sample(second.text, 'lectern_cloud_host_messages_total{kind="event"}')! >=
        sample(first.text, 'lectern_cloud_host_messages_total{kind="event"}')!,
    );
  } finally {
    await linked.stop();
  }
});
