/**
 * A recording, latency-adding front for the fake server. The fake renders every answer from the
 * account on each request, single-threaded: with thousands of entities its own CPU time, not
 * the network, would decide the benchmark. In front of it, this server forwards each request
 * once (recording the answer), and from then on serves the recorded bytes after `latencyMs`,
 * like a fast API far away. Keys are method + path + query without `auth_token`, so the
 * token is checked by the fake on the recording pass only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

interface Recorded {
  status: number;
  type: string;
  body: Buffer;
}

export interface Replay {
  url: string;
  apiUrl: string;
  /** Requests answered since the last `reset()`, with their keys (no token). */
  log: { key: string; status: number; bytes: number }[];
  setLatency(ms: number): void;
  resetLog(): void;
  close(): Promise<void>;
}

export async function startReplay(target: string): Promise<Replay> {
  const cache = new Map<string, Recorded>();
  const log: Replay['log'] = [];
  let latency = 0;
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = new URLSearchParams(url.search);
      query.delete('auth_token');
      const key = `${req.method} ${url.pathname}?${query}`;
      let hit = cache.get(key);
      if (!hit) {
        const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
          method: req.method,
        });
        hit = {
          status: upstream.status,
          type: upstream.headers.get('content-type') ?? 'application/json',
          body: Buffer.from(await upstream.arrayBuffer()),
        };
        if (upstream.status === 200) cache.set(key, hit);
      }
      if (latency > 0) await sleep(latency);
      res.writeHead(hit.status, { 'Content-Type': hit.type, 'Content-Length': hit.body.length });
      res.end(hit.body);
      log.push({ key, status: hit.status, bytes: hit.body.length });
    } catch (error) {
      res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ detail: `replay: ${(error as Error).message}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiUrl: `${url}/v2`,
    log,
    setLatency: (ms) => {
      latency = ms;
    },
    resetLog: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
