import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { PROTOCOL_VERSION, RpcClient } from '../../protocol';
import { rejectsWith } from '../helpers/relay';

/**
 * The shared RpcClient over a real socket to a server that misbehaves on purpose: it answers
 * late, never, with the wrong shape, or hangs up.
 */
describe('RpcClient', () => {
  let wss: WebSocketServer;
  let url: string;
  before(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const { id, method, params } = JSON.parse(data.toString()) as {
          id: number;
          method: string;
          params: { t?: number };
        };
        if (method === 'ping' && params.t === 1) return; // never answered
        if (method === 'ping' && params.t === 2) {
          ws.send('{"type":"response","id":' + id + ',"ok":true,"result":{"t":"two"}}');
        }
        if (method === 'ping' && params.t === 3) {
          ws.send(JSON.stringify({ type: 'response', id, ok: true, result: { t: 3 } }));
        }
        if (method === 'ping' && params.t === 4) ws.close(4005, 'bye');
        if (method === 'join') {
          ws.send(
            JSON.stringify({
              type: 'response',
              id,
              ok: false,
              error: { code: 'BAD_CODE', message: 'no', retryAfterMs: 5 },
            }),
          );
        }
      });
    });
  });
  after(() => new Promise<void>((r) => wss.close(() => r())));

  async function client(timeoutMs = 10_000) {
    const ws = new WebSocket(url);
    await new Promise((r) => ws.once('open', r));
    const rpc = new RpcClient(
      { send: (d) => ws.send(d), close: (c) => ws.close(c) },
      { timeoutMs },
    );
    ws.on('message', (d) => rpc.receive(d.toString()));
    ws.on('close', () => rpc.closed());
    return { ws, rpc };
  }

  it('times out a request that is never answered, and ignores the answer if it comes late', async () => {
    const { rpc, ws } = await client(150);
    const started = Date.now();
    await rejectsWith(rpc.request('ping', { t: 1 }), 'TIMEOUT');
    assert.ok(Date.now() - started >= 140);
    assert.deepEqual(await rpc.request('ping', { t: 3 }), { t: 3 }, 'still usable');
    ws.close();
  });

  it('refuses a result that does not match its schema, and passes errors with their code', async () => {
    const { rpc, ws } = await client();
    await rejectsWith(rpc.request('ping', { t: 2 }), 'INVALID_REQUEST');
    try {
      await rpc.request('join', {
        protocol: PROTOCOL_VERSION,
        role: 'student',
        name: 'x',
        code: '123456',
      });
      assert.fail('join should have failed');
    } catch (err) {
      assert.equal((err as { code: string }).code, 'BAD_CODE');
      assert.equal((err as { retryAfterMs: number }).retryAfterMs, 5);
    }
    ws.close();
  });

  it('rejects every pending request when the socket closes, and every later one at once', async () => {
    const { rpc } = await client();
    const pending = [rpc.request('ping', { t: 1 }), rpc.request('ping', { t: 1 })];
    const closing = rpc.request('ping', { t: 4 });
    for (const p of [...pending, closing]) await rejectsWith(p, 'CONNECTION_CLOSED');
    await rejectsWith(rpc.request('ping', { t: 3 }), 'CONNECTION_CLOSED');
  });
});
