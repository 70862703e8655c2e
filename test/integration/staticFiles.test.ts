import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, createStaticHandler } from '../../server-kit/staticFiles';

/** One raw GET (no client-side decoding): status, headers, the bytes as sent. */
function fetchRaw(
  port: number,
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

describe('the web build over HTTP: gzip for browsers that take it', () => {
  let dir = '';
  let port = 0;
  const server = createServer();
  const js = 'export const lesson = "a line of code";\n'.repeat(4000);

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-static-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Lectern</title>');
    await fs.writeFile(path.join(dir, 'assets', 'app.js'), js);
    await fs.writeFile(path.join(dir, 'assets', 'icon.png'), Buffer.alloc(4096, 7));
    const handler = createStaticHandler(dir);
    server.on('request', (req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  it('sends the bundle gzip-compressed, byte for byte the file once unpacked', async () => {
    const res = await fetchRaw(port, '/assets/app.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['vary'], 'accept-encoding');
    assert.equal(Number(res.headers['content-length']), res.body.length);
    assert.ok(res.body.length < js.length / 20, `${res.body.length} bytes for ${js.length}`);
    assert.equal(gunzipSync(res.body).toString(), js);
    assert.match(String(res.headers['cache-control']), /immutable/);
  });

  it('sends it as it is without accept-encoding, with gzip;q=0, and for HEAD sends no body', async () => {
    for (const headers of [{}, { 'accept-encoding': 'gzip;q=0, identity' }]) {
      const res = await fetchRaw(port, '/assets/app.js', headers);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.equal(res.body.toString(), js);
    }
    const head = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      const req = get(
        {
          host: '127.0.0.1',
          port,
          path: '/assets/app.js',
          method: 'HEAD',
          headers: { 'accept-encoding': 'gzip' },
        },
        (res) => {
          res.resume();
          resolve(res.headers);
        },
      );
      req.on('error', reject);
    });
    assert.equal(head['content-encoding'], 'gzip');
  });

  it('leaves images alone, and a changed file is compressed anew', async () => {
    const png = await fetchRaw(port, '/assets/icon.png', { 'accept-encoding': 'gzip' });
    assert.equal(png.headers['content-encoding'], undefined);
    assert.equal(png.body.length, 4096);
    const page = path.join(dir, 'index.html');
    const first = await fetchRaw(port, '/', { 'accept-encoding': 'gzip' });
    assert.match(gunzipSync(first.body).toString(), /<title>Lectern<\/title>/);
    await fs.writeFile(page, '<!doctype html><title>Room 101</title>');
    await fs.utimes(page, new Date(), new Date(Date.now() + 5000));
    const second = await fetchRaw(port, '/', { 'accept-encoding': 'gzip' });
    assert.match(gunzipSync(second.body).toString(), /<title>Room 101<\/title>/);
  });

  it('reads accept-encoding as browsers write it', () => {
    assert.equal(acceptsGzip('gzip, deflate, br, zstd'), true);
    assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip(undefined), false);
  });
});
