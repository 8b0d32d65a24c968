/**
 * How one GET goes over the wire. The client's default speaks `node:http(s)` on Node's global
 * keep-alive agents: for the crawl's hundreds of multi-megabyte answers it costs about a third
 * less CPU than `fetch` (web streams per chunk), measured by `npm run bench`, and a sync on two
 * cores is CPU-bound. A caller's own `fetch` (tests, proxies, instrumentation) is adapted to
 * the same shape.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface HttpAnswer {
  status: number;
  /** A response header, `null` when absent (repeated ones joined with `, `). */
  header(name: string): string | null;
  /** The body, content-decoded. Rejects when the connection breaks or the signal aborts. */
  body(): Promise<ArrayBuffer>;
}

/**
 * One GET, redirects not followed. Rejects when no answer arrives (refused, reset, aborted);
 * what breaks after the headers rejects `body()`.
 */
export type Transport = (url: string, signal: AbortSignal) => Promise<HttpAnswer>;

const REQUEST_HEADERS = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br' };

export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, signal) => {
    const response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: REQUEST_HEADERS.accept },
      redirect: 'manual',
      signal,
    });
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      body: () => response.arrayBuffer(),
    };
  };
}

/** The response's bytes, decoded as `Content-Encoding` says. */
function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  response.on('error', (error) => decoder.destroy(error));
  // A body that does not decode frees its connection.
  decoder.on('error', () => response.destroy());
  return response.pipe(decoder);
}

/**
 * Reads a whole body into one ArrayBuffer of its own (never a slice of Node's shared buffer
 * pool), so that it can be transferred to another thread.
 */
function readAll(response: IncomingMessage, signal: AbortSignal): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const source = decoded(response);
    const chunks: Buffer[] = [];
    let length = 0;
    const onAbort = () => source.destroy(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    source.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    source.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    source.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      const bytes = new Uint8Array(length);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      resolve(bytes.buffer);
    });
  });
}

export const nodeTransport: Transport = (url, signal) =>
  new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { headers: REQUEST_HEADERS, signal }, (response) => {
      const body = readAll(response, signal);
      // Read at once (so the socket goes back to the pool); a rejection is the caller's to see.
      body.catch(() => {});
      resolve({
        status: response.statusCode ?? 0,
        header: (name) => {
          const value = response.headers[name.toLowerCase()];
          if (value === undefined) return null;
          return Array.isArray(value) ? value.join(', ') : value;
        },
        body: () => body,
      });
    });
    req.on('error', reject);
  });
