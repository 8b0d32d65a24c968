import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Stub {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, for mediaHosts. */
  host: string;
  /** Paths requested, in order. */
  requests: string[];
  /** Most requests in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

/** A tiny HTTP listener on 127.0.0.1 that records what it is asked. */
export async function startStub(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<Stub> {
  let inFlight = 0;
  const stub: Stub = {
    url: '',
    host: '',
    requests: [],
    maxInFlight: 0,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    stub.requests.push(req.url ?? '');
    inFlight++;
    stub.maxInFlight = Math.max(stub.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  stub.url = `http://127.0.0.1:${port}`;
  stub.host = `127.0.0.1:${port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'butter-media-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Deterministic bytes for a path. */
export function bytesFor(path: string, size = 1000): Buffer {
  const out = Buffer.alloc(size);
  let x = 2166136261;
  for (const c of path) x = Math.imul(x ^ c.charCodeAt(0), 16777619);
  for (let i = 0; i < size; i++) {
    x = Math.imul(x ^ (x >>> 13), 0x5bd1e995);
    out[i] = x & 0xff;
  }
  return out;
}
