/**
 * A recording, latency-adding front for the fake server. The fake renders every answer from the
 * account on each request, single-threaded: with thousands of entities its own CPU time, not
 * the network, would decide the benchmark. In front of it, this server forwards each request
 * once (recording the answer), and from then on serves the recorded bytes after `latencyMs`,
 * like a fast API far away. Keys are method + path + query without `auth_token`, so the
 * token is checked by the fake on the recording pass only. The fake's own origin in a recorded
 * JSON answer (its media URLs) becomes the replay's, so media files are recorded and replayed
 * the same way.
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
  let url = '';
  const server = createServer(async (req, res) => {
    try {
      const asked = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = new URLSearchParams(asked.search);
      query.delete('auth_token');
      const key = `${req.method} ${asked.pathname}?${query}`;
      let hit = cache.get(key);
      if (!hit) {
        const upstream = await fetch(`${target}${asked.pathname}${asked.search}`, {
          method: req.method,
        });
        const type = upstream.headers.get('content-type') ?? 'application/json';
        const body = Buffer.from(await upstream.arrayBuffer());
        hit = {
          status: upstream.status,
          type,
          body: type.includes('json')
            ? Buffer.from(body.toString('utf8').replaceAll(target, url))
            : body,
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
  url = `http://127.0.0.1:${port}`;
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
