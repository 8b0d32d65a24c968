/**
 * How one GET goes over the wire. The client's default speaks `node:http(s)` on Node's global
 * keep-alive agents: for the crawl's hundreds of multi-megabyte answers it costs clearly less
 * CPU than `fetch` (web streams per chunk; `npm run bench` measures both), and a sync on two
 * cores is CPU-bound. A caller's own `fetch` (tests, proxies, instrumentation) is adapted to
 * the same shape.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { headerReader } from '../toolkit/http.ts';

export interface HttpAnswer {
  status: number;
  /** A response header, `null` when absent (repeated ones joined with `, `). */
  header(name: string): string | null;
  /** The body, content-decoded. Rejects when the connection breaks or the signal aborts. */
  body(): Promise<ArrayBuffer>;
}

/**
 * One GET, redirects not followed. Rejects when no answer arrives (refused, reset, aborted);
 * what breaks after the headers rejects `body()`, and so does a body past `maxBytes` (as sent
 * or once decoded), with a `ResponseTooLarge`, before more than that is held.
 */
export type Transport = (url: string, signal: AbortSignal, maxBytes: number) => Promise<HttpAnswer>;

/** A body past the client's byte cap: read no further. */
export class ResponseTooLarge extends Error {
  override name = 'ResponseTooLarge';
  readonly limit: number;
  constructor(limit: number, what: string) {
    super(`the body is larger than ${limit} bytes ${what}`);
    this.limit = limit;
  }
}

/** A declared `Content-Length` past the cap: the body is not read at all. */
function declaredTooLarge(
  header: string | null | undefined,
  maxBytes: number,
): ResponseTooLarge | undefined {
  const declared = Number(header);
  return header != null && Number.isFinite(declared) && declared > maxBytes
    ? new ResponseTooLarge(maxBytes, `(Content-Length: ${header})`)
    : undefined;
}

const REQUEST_HEADERS = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br' };

export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, signal, maxBytes) => {
    const response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: REQUEST_HEADERS.accept },
      redirect: 'manual',
      signal,
    });
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      body: () => readFetchBody(response, maxBytes),
    };
  };
}

/** A fetch `Response`'s body (decoded by fetch), read no further than `maxBytes`. */
async function readFetchBody(response: Response, maxBytes: number): Promise<ArrayBuffer> {
  const declared = declaredTooLarge(response.headers.get('content-length'), maxBytes);
  if (declared) {
    await response.body?.cancel().catch(() => {});
    throw declared;
  }
  if (!response.body) return new ArrayBuffer(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLarge(maxBytes, 'once decoded');
    }
    chunks.push(value);
  }
  return joined(chunks, length);
}

/** The chunks in one ArrayBuffer of their own. */
function joined(chunks: readonly Uint8Array[], length: number): ArrayBuffer {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes.buffer;
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
 * Reads a whole body into one ArrayBuffer. Stops past `maxBytes`, counted as sent and once
 * decoded (a small compressed body can inflate to gigabytes).
 */
function readAll(
  response: IncomingMessage,
  signal: AbortSignal,
  maxBytes: number,
): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const source = decoded(response);
    const chunks: Buffer[] = [];
    let length = 0;
    let sent = 0;
    const onAbort = () => source.destroy(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const tooLarge = (what: string) => {
      const error = new ResponseTooLarge(maxBytes, what);
      // The connection is not read to its end: it goes, not back to the pool.
      response.destroy(error);
      source.destroy(error);
    };
    if (source !== response) {
      response.on('data', (chunk: Buffer) => {
        sent += chunk.length;
        if (sent > maxBytes) tooLarge('as sent');
      });
    }
    source.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        tooLarge(source === response ? 'as sent' : 'once decoded');
        return;
      }
      chunks.push(chunk);
    });
    source.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    source.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(joined(chunks, length));
    });
  });
}

export const nodeTransport: Transport = (url, signal, maxBytes) =>
  new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { headers: REQUEST_HEADERS, signal }, (response) => {
      const declared = declaredTooLarge(response.headers['content-length'], maxBytes);
      if (declared) response.destroy();
      const body = declared ? Promise.reject(declared) : readAll(response, signal, maxBytes);
      // Read at once (so the socket goes back to the pool); a rejection is the caller's to see.
      body.catch(() => {});
      resolve({
        status: response.statusCode ?? 0,
        header: headerReader(response),
        body: () => body,
      });
    });
    req.on('error', reject);
  });
