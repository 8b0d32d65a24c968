/**
 * How the media downloader sends one GET: `node:http(s)` on Node's global keep-alive agents by
 * default, a caller's own `fetch` (tests, proxies) adapted to the same shape. Not `fetch` by
 * default: each of its responses holds memory outside the JavaScript heap until the collector
 * gets to it, and a download of tens of thousands of small files piled that up by hundreds of
 * megabytes (`npm run bench`, peak RSS).
 */
import http from 'node:http';
import https from 'node:https';
import { headerReader } from '../toolkit/http.ts';

export interface MediaResponse {
  status: number;
  /** A response header, `null` when absent. */
  header(name: string): string | null;
  /** The body as it arrives (not content-decoded: media is asked for without compression). */
  chunks(): AsyncIterable<Uint8Array>;
  /** Drops the body unread. */
  cancel(): Promise<void>;
}

/** One GET, redirects not followed; rejects when no answer arrives or `signal` aborts. */
export type MediaGet = (url: string, signal: AbortSignal) => Promise<MediaResponse>;

const HEADERS = { accept: '*/*' };

export const nodeGet: MediaGet = (url, signal) =>
  new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const request = get(url, { headers: HEADERS, signal }, (response) => {
      resolve({
        status: response.statusCode ?? 0,
        header: headerReader(response),
        chunks: () => response,
        cancel: async () => {
          response.destroy();
        },
      });
    });
    request.on('error', reject);
  });

export function fetchGet(fetchImpl: typeof fetch): MediaGet {
  return async (url, signal) => {
    const response = await fetchImpl(url, { redirect: 'manual', signal, headers: HEADERS });
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      async *chunks() {
        // A reader loop rather than `for await`, which some lib typings of ReadableStream lack.
        const reader = response.body?.getReader();
        if (!reader) return;
        try {
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) return;
            yield chunk.value;
          }
        } finally {
          await reader.cancel().catch(() => {});
        }
      },
      cancel: async () => {
        await response.body?.cancel();
      },
    };
  };
}
