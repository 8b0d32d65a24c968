import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadMedia } from '../../src/core/media/download.ts';
import { MANIFEST_FILE } from '../../src/core/media/manifest.ts';
import { bytesFor, startStub, tempDir } from './stub.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(handler: Parameters<typeof startStub>[0]) {
  const stub = await startStub(handler);
  const { dir, cleanup } = await tempDir();
  cleanups.push(() => stub.close(), cleanup);
  return { stub, dir };
}

/** Serves `/img/<name>` as JPEG bytes, `/same/<n>` as identical PNG bytes, else 404. */
function cdn(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const path = req.url ?? '';
  if (path.startsWith('/img/')) {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(bytesFor(path));
  } else if (path.startsWith('/same/')) {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(bytesFor('same'));
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const noDelay = () => 0;

describe('downloadMedia', () => {
  it('downloads bytes to content-named files, stores identical bytes once, caches', async () => {
    const { stub, dir } = await setup(cdn);
    const urls = [
      `${stub.url}/img/a`,
      `${stub.url}/img/b`,
      `${stub.url}/same/1`,
      `${stub.url}/same/2`,
    ];
    const progress: number[] = [];
    const report = await downloadMedia([...urls, urls[0]!], {
      dir,
      hosts: [stub.host],
      onProgress: (done, total) => progress.push(done * 100 + total),
    });
    expect(report).toMatchObject({ downloaded: 4, cached: 0, failed: [] });
    expect(report.bytes).toBe(4000);
    expect(progress.at(-1)).toBe(404);
    const a = report.files.get(urls[0]!)!;
    expect(a.file).toBe(`${sha(bytesFor('/img/a')).slice(0, 32)}.jpg`);
    expect(await readFile(join(dir, a.file))).toEqual(bytesFor('/img/a'));
    expect(report.files.get(urls[2]!)!.file).toBe(report.files.get(urls[3]!)!.file);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(4); // 3 distinct contents + manifest, no temp files
    expect(files).toContain(MANIFEST_FILE);

    stub.requests.length = 0;
    const again = await downloadMedia(urls, { dir, hosts: [stub.host] });
    expect(again).toMatchObject({ downloaded: 0, cached: 4, failed: [], bytes: 0 });
    expect(again.files).toEqual(report.files);
    expect(stub.requests).toEqual([]);

    // A cached file removed from disk is downloaded again.
    await rm(join(dir, a.file));
    const third = await downloadMedia(urls, { dir, hosts: [stub.host] });
    expect(third).toMatchObject({ downloaded: 1, cached: 3 });
    expect(stub.requests).toEqual(['/img/a']);

    // The report's manifest is the cache's, earlier runs' URLs included; `files` only this run's.
    const one = await downloadMedia([urls[1]!], { dir, hosts: [stub.host] });
    expect([...one.files.keys()]).toEqual([urls[1]]);
    expect([...one.manifest.keys()].sort()).toEqual([...urls].sort());
    expect(one.manifest.get(urls[0]!)).toEqual(third.files.get(urls[0]!));
  });

  it('downloads the same files through a given fetch, the size cap included', async () => {
    const { stub, dir } = await setup(cdn);
    const urls = [`${stub.url}/img/a`, `${stub.url}/same/1`, `${stub.url}/missing`];
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const report = await downloadMedia(urls, { dir, hosts: [stub.host], fetch: counting });
    expect(seen).toEqual(expect.arrayContaining(urls));
    expect(report).toMatchObject({ downloaded: 2, failed: [{ url: urls[2], status: 404 }] });
    expect(await readFile(join(dir, report.files.get(urls[0]!)!.file))).toEqual(bytesFor('/img/a'));
    const capped = await downloadMedia([`${stub.url}/img/c`], {
      dir,
      hosts: [stub.host],
      fetch: counting,
      maxBytes: 100,
    });
    expect(capped.failed[0]?.reason).toMatch(/^larger than/);
  });

  it('never requests a URL outside the host list', async () => {
    const { stub: other } = await setup(cdn);
    const { stub, dir } = await setup(cdn);
    const report = await downloadMedia([`${other.url}/img/x`, `${stub.url}/img/y`], {
      dir,
      hosts: [stub.host],
    });
    expect(report.downloaded).toBe(1);
    expect(report.failed).toEqual([
      { url: `${other.url}/img/x`, reason: 'not on a media host (not requested)' },
    ]);
    expect(other.requests).toEqual([]);
  });

  it('follows redirects within the host list only, bounded', async () => {
    const { stub: other } = await setup(cdn);
    const { stub, dir } = await setup((req, res) => {
      const path = req.url ?? '';
      if (path === '/to-other') res.writeHead(302, { location: `${other.url}/img/secret` }).end();
      else if (path === '/to-self') res.writeHead(301, { location: '/img/target' }).end();
      else if (path === '/loop') res.writeHead(307, { location: '/loop' }).end();
      else if (path === '/no-location') res.writeHead(302).end();
      else cdn(req, res);
    });
    const report = await downloadMedia(
      ['/to-other', '/to-self', '/loop', '/no-location'].map((p) => stub.url + p),
      { dir, hosts: [stub.host], retryDelay: noDelay },
    );
    expect(report.downloaded).toBe(1);
    expect(await readFile(join(dir, report.files.get(`${stub.url}/to-self`)!.file))).toEqual(
      bytesFor('/img/target'),
    );
    const reasons = Object.fromEntries(
      report.failed.map((f) => [f.url.slice(stub.url.length), f.reason]),
    );
    expect(reasons['/to-other']).toMatch(/not on a media host \(not followed\)/);
    expect(reasons['/loop']).toBe('too many redirects');
    expect(reasons['/no-location']).toBe('redirect without a Location');
    expect(other.requests).toEqual([]);
    expect(stub.requests.filter((p) => p === '/loop')).toHaveLength(6);
  });

  it('fails 404 at once, retries 5xx and network errors', async () => {
    let flaky = 0;
    let dropped = 0;
    const { stub, dir } = await setup((req, res) => {
      if (req.url === '/flaky' && flaky++ < 2) return void res.writeHead(503).end();
      if (req.url === '/drop' && dropped++ < 1) return void req.socket.destroy();
      if (req.url === '/flaky' || req.url === '/drop') req.url = '/img/ok';
      cdn(req, res);
    });
    const report = await downloadMedia(
      ['/missing', '/flaky', '/drop'].map((p) => stub.url + p),
      {
        dir,
        hosts: [stub.host],
        retries: 3,
        retryDelay: noDelay,
      },
    );
    expect(report.downloaded).toBe(2);
    expect(report.failed).toEqual([
      { url: `${stub.url}/missing`, reason: 'HTTP 404', status: 404 },
    ]);
    expect(stub.requests.filter((p) => p === '/missing')).toHaveLength(1);
    expect(stub.requests.filter((p) => p === '/flaky')).toHaveLength(3);
  });

  it('gives up after the retries', async () => {
    const { stub, dir } = await setup((_req, res) => void res.writeHead(500).end());
    const report = await downloadMedia([`${stub.url}/x`], {
      dir,
      hosts: [stub.host],
      retries: 2,
      retryDelay: noDelay,
    });
    expect(report.failed).toEqual([{ url: `${stub.url}/x`, reason: 'HTTP 500', status: 500 }]);
    expect(stub.requests).toHaveLength(3);
  });

  it("adds no abort listener to the sync's signal, however many downloads retry", async () => {
    const { stub, dir } = await setup((_req, res) => void res.writeHead(503).end());
    // Node 22 warns past 10 listeners on one signal (MaxListenersExceededWarning).
    const signal = new AbortController().signal;
    const added = vi.spyOn(signal, 'addEventListener');
    const urls = Array.from({ length: 12 }, (_, i) => `${stub.url}/x${i}`);
    const report = await downloadMedia(urls, {
      dir,
      hosts: [stub.host],
      concurrency: 12,
      retries: 2,
      retryDelay: () => 1,
      signal,
    });
    expect(report.failed).toHaveLength(12);
    expect(stub.requests).toHaveLength(36);
    expect(added).not.toHaveBeenCalled();
    expect(getEventListeners(signal, 'abort')).toEqual([]);
  });

  it('times out a stalled response (headers or body)', async () => {
    const { stub, dir } = await setup((req, res) => {
      if (req.url === '/body') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(Buffer.alloc(10));
      }
      // never ends
    });
    const report = await downloadMedia([`${stub.url}/headers`, `${stub.url}/body`], {
      dir,
      hosts: [stub.host],
      timeout: 150,
      retries: 1,
      retryDelay: noDelay,
    });
    expect(report.failed.map((f) => f.reason)).toEqual([
      'timed out (nothing received for 150 ms)',
      'timed out (nothing received for 150 ms)',
    ]);
    expect(stub.requests).toHaveLength(4);
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('does not cut off a slow body that keeps arriving (idle timeout)', async () => {
    const { stub, dir } = await setup(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      for (let i = 0; i < 5; i++) {
        res.write(Buffer.alloc(100, i));
        await new Promise((r) => setTimeout(r, 60));
      }
      res.end();
    });
    const report = await downloadMedia([`${stub.url}/trickle`], {
      dir,
      hosts: [stub.host],
      timeout: 150,
      retries: 0,
    });
    expect(report).toMatchObject({ downloaded: 1, failed: [], bytes: 500 });
  });

  it('enforces the size cap, declared or streamed, without keeping partial files', async () => {
    const { stub, dir } = await setup((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': '5000' });
        res.end(Buffer.alloc(5000));
      } else {
        res.writeHead(200, { 'content-type': 'image/png' }); // chunked, no length
        for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1000, i));
        res.end();
      }
    });
    const report = await downloadMedia([`${stub.url}/declared`, `${stub.url}/chunked`], {
      dir,
      hosts: [stub.host],
      maxBytes: 4096,
    });
    expect(report.failed.map((f) => f.reason)).toEqual(['larger than 4 KiB', 'larger than 4 KiB']);
    expect(stub.requests).toHaveLength(2);
    expect(await readdir(dir)).toEqual([MANIFEST_FILE]);
  });

  it('uses a limiter of its own with the given concurrency', async () => {
    const { stub, dir } = await setup(async (req, res) => {
      await new Promise((r) => setTimeout(r, 20));
      cdn(req, res);
    });
    const urls = Array.from({ length: 12 }, (_, i) => `${stub.url}/img/${i}`);
    const report = await downloadMedia(urls, { dir, hosts: [stub.host], concurrency: 3 });
    expect(report.downloaded).toBe(12);
    expect(stub.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('removes temporary files a killed run left behind, not fresh ones', async () => {
    const { stub, dir } = await setup(cdn);
    const old = join(dir, `.${'a'.repeat(16)}.part`);
    const fresh = join(dir, `.${'b'.repeat(16)}.part`);
    await writeFile(old, 'x');
    await writeFile(fresh, 'y');
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(old, hourAgo, hourAgo);
    await downloadMedia([`${stub.url}/img/z`], { dir, hosts: [stub.host] });
    const files = await readdir(dir);
    expect(files).not.toContain(`.${'a'.repeat(16)}.part`);
    expect(files).toContain(`.${'b'.repeat(16)}.part`);
  });

  it('maps __proto__-like URLs as plain keys', async () => {
    const { stub, dir } = await setup(cdn);
    const urls = [`${stub.url}/img/__proto__`, `${stub.url}/img/constructor`];
    const report = await downloadMedia(urls, { dir, hosts: [stub.host] });
    expect([...report.files.keys()].sort()).toEqual(urls.sort());
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual(urls.sort());
  });
});
