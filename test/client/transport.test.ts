/**
 * The client's built-in `node:http` transport against a local server that answers what the
 * fake ButterCMS does not: compressed bodies, bodies cut short, redirects, repeated headers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ButterClient, createClient, NetworkError } from '../../src/core/client/index.ts';
import { nodeTransport } from '../../src/core/client/transport.ts';
import { apiFailure } from './stub.ts';

const TOKEN = 'transport-token-0987654321';
const BODY = JSON.stringify({ data: [{ slug: 'é-ü', body: 'x'.repeat(50_000) }] });

let server: Server;
let origin: string;
let lastHeaders: IncomingHttpHeaders = {};
let attempts = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    attempts++;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (headers: Record<string, string | string[]>, body: Buffer | string) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    if (path === '/v2/gzip/') send({ 'content-encoding': 'gzip' }, zlib.gzipSync(BODY));
    else if (path === '/v2/deflate/')
      send({ 'content-encoding': 'deflate' }, zlib.deflateSync(BODY));
    else if (path === '/v2/br/') send({ 'content-encoding': 'br' }, zlib.brotliCompressSync(BODY));
    else if (path === '/v2/bad-gzip/') send({ 'content-encoding': 'gzip' }, 'not gzip at all');
    else if (path === '/v2/plain/') send({ 'x-twice': ['a', 'b'] }, BODY);
    else if (path === '/v2/cut/') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"data": [');
      setTimeout(() => res.socket?.destroy(), 10);
    } else if (path === '/v2/moved/') {
      res.writeHead(301, { location: `${origin}/v2/plain/?auth_token=${TOKEN}` });
      res.end();
    } else if (path === '/v2/declared-huge/') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 ** 30) });
      res.write('{"data": [');
    } else if (path === '/v2/endless/') {
      // A body that never ends: written as fast as the client reads, until it hangs up.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('{"data": [');
      pump();
    } else if (path === '/v2/bomb/') {
      // 16 MiB of spaces gzipped to a few KiB, twice: far past the cap once inflated.
      const member = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.write(member);
      res.end(member);
    } else if (path === '/v2/stall/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"detail":"Not found."}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(
  options: { retries?: number; timeout?: number; maxResponseBytes?: number } = {},
): ButterClient {
  return createClient({
    token: TOKEN,
    apiUrl: `${origin}/v2`,
    concurrency: 2,
    timeout: options.timeout ?? 5_000,
    retries: options.retries ?? 0,
    maxRetryAfter: 60,
    maxResponseBytes: options.maxResponseBytes,
    sleep: async () => {},
  });
}

const failure = (promise: Promise<unknown>) => apiFailure(promise, TOKEN);

describe('the node:http transport', () => {
  it('asks for compressed answers and decodes gzip, deflate and brotli', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const c = client();
      await expect(c.get(`/${encoding}/`)).resolves.toEqual(JSON.parse(BODY));
      expect(String(lastHeaders['accept-encoding'])).toContain(
        encoding === 'deflate' ? 'deflate' : encoding,
      );
      // Counted after decoding, like the bytes a site would parse.
      expect(c.stats.bytes).toBe(Buffer.byteLength(BODY));
    }
  });

  it('a body that does not decode is a broken response, retried', async () => {
    attempts = 0;
    const error = await failure(client({ retries: 1 }).get('/bad-gzip/'));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).incomplete).toBe(true);
    expect(error.message).toContain('the connection broke while reading the response');
    expect(attempts).toBe(2);
  });

  it('a connection that closes mid-body is NETWORK and incomplete', async () => {
    const error = await failure(client().get('/cut/'));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).incomplete).toBe(true);
    expect(error.message).toContain('(ECONNRESET)');
  });

  it('a body that stalls past the timeout is TIMEOUT', async () => {
    const error = await failure(client({ timeout: 100 }).get('/stall/'));
    expect(error.code).toBe('TIMEOUT');
  });

  it('reads no body past maxResponseBytes: declared, endless, or inflating past it', async () => {
    for (const path of ['/declared-huge/', '/endless/', '/bomb/']) {
      attempts = 0;
      const c = client({ retries: 2, maxResponseBytes: 1 << 20 });
      const error = await failure(c.get(path));
      expect(error.code, path).toBe('BAD_RESPONSE');
      expect(error.message).toContain('larger than maxResponseBytes (1048576 bytes');
      expect(error.message).toContain('so it was not read further');
      expect(error.hint).toContain('not a ButterCMS Read API answer');
      // Not retried: the same server sends the same body again.
      expect(attempts, path).toBe(1);
      // What was kept is bounded by the cap, not by what the server sent.
      expect(c.stats.bytes).toBe(0);
    }
  });

  it('does not follow redirects, and names the target without the token', async () => {
    const error = await failure(client().get('/moved/'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('/v2/plain/');
  });

  it('an unreachable host is NETWORK, before any answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const c = createClient({
      token: TOKEN,
      apiUrl: `http://127.0.0.1:${port}/v2`,
      concurrency: 1,
      timeout: 5_000,
      retries: 0,
      maxRetryAfter: 60,
    });
    const error = await failure(c.get('/posts/'));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).incomplete).toBe(false);
    expect(error.message).toContain(`could not reach 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('gives each body an ArrayBuffer of its own (transferable), and joins repeated headers', async () => {
    const answer = await nodeTransport(
      `${origin}/v2/plain/`,
      new AbortController().signal,
      1 << 20,
    );
    expect(answer.header('X-Twice')).toBe('a, b');
    expect(answer.header('x-missing')).toBeNull();
    const bytes = await answer.body();
    expect(bytes.byteLength).toBe(Buffer.byteLength(BODY));
    expect(new TextDecoder().decode(bytes)).toBe(BODY);
    const small = await (
      await nodeTransport(`${origin}/v2/unknown/`, new AbortController().signal, 1 << 20)
    ).body();
    expect(small.byteLength).toBe('{"detail":"Not found."}'.length);
    structuredClone(small, { transfer: [small] });
    expect(small.byteLength).toBe(0);
  });
});
