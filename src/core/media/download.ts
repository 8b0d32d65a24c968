/**
 * The media downloader: the only I/O of the media stage. Fetches each URL once through a
 * limiter of its own (never the API client's: a task waiting on the limiter it runs in
 * deadlocks), with a timeout, retries, a size cap and redirects re-checked against the host
 * list at every hop; streams the bytes to a temporary file while hashing them, then names the
 * file after its content. A manifest caches URL → file across runs.
 */

import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pMap from 'p-map';
import { stripToken } from '../redact.ts';
import { sweepTempFiles, tempFile } from '../temp-files.ts';
import { formatBytes } from '../toolkit/format.ts';
import { sleep } from '../toolkit/sleep.ts';
import { fetchGet, nodeGet } from './get.ts';
import { isMediaUrl, normalizeHosts } from './hosts.ts';
import {
  MANIFEST_TEMP,
  type MediaFile,
  type MediaManifest,
  readManifest,
  writeManifest,
} from './manifest.ts';
import { mediaFileName } from './names.ts';
import { type ImageInfo, imageInfo, isImageFile, PROBE_BYTES, probeImageFile } from './probe.ts';
import { extensionFor } from './types.ts';

/** Suffix of a file being downloaded (`.<pid>-<random>.part`, renamed once complete). */
const PART = '.part';

export interface DownloadOptions {
  /** Folder the files and `media-manifest.json` go to (created when missing). */
  dir: string;
  /** Allowed media hosts (`host` or `host:port`); any other URL is never requested. */
  hosts: readonly string[];
  /** Downloads in flight at once. @default 8 */
  concurrency?: number;
  /**
   * Milliseconds to wait for the response headers, and then for each next piece of the body
   * (an idle timeout: a large file that keeps arriving is not cut off). @default 30000
   */
  timeout?: number;
  /** Retries after a network error, timeout, 408, 429 or 5xx. @default 3 */
  retries?: number;
  /** Largest file accepted, in bytes. @default 104857600 (100 MiB) */
  maxBytes?: number;
  /** Redirects followed (each target must be on an allowed host). @default 5 */
  maxRedirects?: number;
  /** The fetch to use. @default `node:http(s)` (see `get.ts`) */
  fetch?: typeof fetch;
  /** Milliseconds before retry number `attempt` (1-based). @default backoff with jitter */
  retryDelay?: (attempt: number) => number;
  /** Called after each URL is settled (downloaded, cached or failed). */
  onProgress?: (done: number, total: number) => void;
  /** Told before each retry (after the failed attempt, before waiting). */
  onRetry?: (retry: MediaRetry) => void;
  /** Aborts the whole run. */
  signal?: AbortSignal;
}

/** A download retried: `attempt` (1 = the first request) failed for `reason`. */
export interface MediaRetry {
  url: string;
  attempt: number;
  reason: string;
  /** Milliseconds waited before the next attempt. */
  delay: number;
}

/** A retry for debug output: `media https://… failed (attempt 1: HTTP 503), retrying in 250 ms`. */
export function describeMediaRetry(retry: MediaRetry): string {
  return `media ${stripToken(retry.url)} failed (attempt ${retry.attempt}: ${retry.reason}), retrying in ${retry.delay} ms`;
}

/** A URL that could not be downloaded. */
export interface MediaFailure {
  url: string;
  /** What went wrong, e.g. `HTTP 404`, `timed out (nothing received for 30000 ms)`, `larger than 100 MiB`. */
  reason: string;
  /** The HTTP status, when the failure was one. */
  status?: number;
}

export interface MediaReport {
  /** Every URL available locally after the run (downloaded now or cached): URL → file. */
  files: Map<string, MediaFile>;
  /** URLs fetched in this run. */
  downloaded: number;
  /** URLs found in the manifest with their file present: not requested. */
  cached: number;
  failed: MediaFailure[];
  /** Bytes fetched in this run. */
  bytes: number;
  /**
   * The cache manifest as written after the run: every URL → file of this run and of earlier
   * ones whose file is still there.
   */
  manifest: MediaManifest;
}

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

class DownloadProblem extends Error {
  readonly transient: boolean;
  readonly status: number | undefined;
  constructor(message: string, transient: boolean, status?: number) {
    super(message);
    this.transient = transient;
    this.status = status;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Exponential backoff with equal jitter: 250 ms, 500 ms, 1 s … capped at 4 s. */
export function mediaRetryDelay(attempt: number, random: () => number = Math.random): number {
  const backoff = Math.min(4000, 250 * 2 ** (Math.max(1, attempt) - 1));
  return Math.round(backoff / 2 + (backoff / 2) * random());
}

/** An image's manifest fields: its size, or the mark that it has none to read. */
function sizeFields(info: ImageInfo | undefined): Partial<ImageInfo> & { unsized?: true } {
  return info ?? { unsized: true };
}

/**
 * Downloads every URL (duplicates once) into `options.dir` and updates its manifest. Never
 * throws for a file that cannot be fetched: it is listed in `failed`. The URLs are taken one at a
 * time as a download slot frees, so what waits costs nothing per URL: an account's tens of
 * thousands of files held a queued task each (tens of megabytes) when all were queued at once.
 */
export async function downloadMedia(
  urls: Iterable<string>,
  options: DownloadOptions,
): Promise<MediaReport> {
  const dir = options.dir;
  const allowed = normalizeHosts(options.hosts);
  const send = options.fetch ? fetchGet(options.fetch) : nodeGet;
  const timeout = options.timeout ?? 30_000;
  const retries = options.retries ?? 3;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  const delay = options.retryDelay ?? mediaRetryDelay;

  await mkdir(dir, { recursive: true });
  const manifest = await readManifest(dir);
  // What killed runs left: their downloads in progress and manifest writes.
  await sweepTempFiles(dir, '', PART);
  await sweepTempFiles(dir, MANIFEST_TEMP);
  const present = new Set(await readdir(dir));
  const report: MediaReport = {
    files: new Map(),
    downloaded: 0,
    cached: 0,
    failed: [],
    bytes: 0,
    manifest,
  };
  const unique = [...new Set(urls)];
  let done = 0;
  const settle = (): void => {
    done += 1;
    options.onProgress?.(done, unique.length);
  };

  /** One attempt: follows allowed redirects, streams the body to a temp file. */
  const attempt = async (url: string) => {
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(), timeout);
    const stillAlive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), timeout);
    };
    const signal = options.signal
      ? AbortSignal.any([options.signal, controller.signal])
      : controller.signal;
    const temp = tempFile(dir, '', PART);
    try {
      let current = url;
      for (let hop = 0; ; hop++) {
        const response = await send(current, signal);
        stillAlive();
        if (REDIRECTS.has(response.status)) {
          await response.cancel();
          const location = response.header('location');
          if (!location) throw new DownloadProblem('redirect without a Location', false);
          const next = new URL(location, current).href;
          if (!isMediaUrl(next, allowed)) {
            throw new DownloadProblem(
              `redirected to ${stripToken(next)}, which is not on a media host (not followed)`,
              false,
            );
          }
          if (hop >= maxRedirects) throw new DownloadProblem('too many redirects', false);
          current = next;
          continue;
        }
        if (response.status < 200 || response.status > 299) {
          await response.cancel();
          const s = response.status;
          throw new DownloadProblem(`HTTP ${s}`, s >= 500 || s === 408 || s === 429, s);
        }
        const declared = Number(response.header('content-length'));
        if (Number.isFinite(declared) && declared > maxBytes) {
          await response.cancel();
          throw new DownloadProblem(`larger than ${formatBytes(maxBytes, 'binary')}`, false);
        }
        const hash = createHash('sha256');
        let bytes = 0;
        // The file's first bytes, kept to read an image's size without opening it again.
        const head: Uint8Array[] = [];
        let headBytes = 0;
        const file = await open(temp, 'wx');
        try {
          // Leaving the loop early (too large, a failed write) drops the rest of the body.
          for await (const chunk of response.chunks()) {
            bytes += chunk.byteLength;
            if (bytes > maxBytes) {
              throw new DownloadProblem(`larger than ${formatBytes(maxBytes, 'binary')}`, false);
            }
            stillAlive();
            if (headBytes < PROBE_BYTES) {
              head.push(chunk);
              headBytes += chunk.byteLength;
            }
            hash.update(chunk);
            await file.write(chunk);
          }
        } finally {
          await file.close();
        }
        const type = response.header('content-type') ?? '';
        return { temp, sha256: hash.digest('hex'), bytes, type, head: Buffer.concat(head) };
      }
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof DownloadProblem) throw error;
      if (options.signal?.aborted) throw error;
      if (controller.signal.aborted) {
        throw new DownloadProblem(`timed out (nothing received for ${timeout} ms)`, true);
      }
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new DownloadProblem(
        `network error: ${cause instanceof Error ? cause.message : String(cause)}`,
        true,
      );
    } finally {
      clearTimeout(timer);
    }
  };

  const fetchOne = async (url: string): Promise<void> => {
    for (let n = 0; ; n++) {
      try {
        const got = await attempt(url);
        const file = mediaFileName(got.sha256, extensionFor(got.type, url));
        if (present.has(file)) await rm(got.temp, { force: true });
        else {
          await rename(got.temp, join(dir, file));
          present.add(file);
        }
        const entry: MediaFile = {
          file,
          type: got.type,
          bytes: got.bytes,
          ...(isImageFile(file) ? sizeFields(imageInfo(got.head)) : undefined),
        };
        manifest.set(url, entry);
        report.files.set(url, entry);
        report.downloaded += 1;
        report.bytes += got.bytes;
        return;
      } catch (error) {
        if (!(error instanceof DownloadProblem)) throw error;
        if (!error.transient || n >= retries) {
          const failure: MediaFailure = { url, reason: error.message };
          if (error.status !== undefined) failure.status = error.status;
          report.failed.push(failure);
          return;
        }
        const wait = delay(n + 1);
        options.onRetry?.({ url, attempt: n + 1, reason: error.message, delay: wait });
        await sleep(wait, options.signal);
      }
    }
  };

  /** The URLs that need a request or a file read; the others are settled as they are passed. */
  function* work(): Generator<{ url: string; cached?: MediaFile }> {
    for (const url of unique) {
      const cached = manifest.get(url);
      if (!isMediaUrl(url, allowed)) {
        report.failed.push({ url, reason: 'not on a media host (not requested)' });
        settle();
      } else if (cached !== undefined && present.has(cached.file)) {
        // Downloaded before image sizes were recorded: read it from the file.
        if (isImageFile(cached.file) && cached.width === undefined && !cached.unsized) {
          yield { url, cached };
          continue;
        }
        report.files.set(url, cached);
        report.cached += 1;
        settle();
      } else yield { url };
    }
  }
  const sizeCached = async (url: string, cached: MediaFile): Promise<void> => {
    const probed = await probeImageFile(join(dir, cached.file)).then(sizeFields, () => ({}));
    const entry = { ...cached, ...probed };
    manifest.set(url, entry);
    report.files.set(url, entry);
    report.cached += 1;
  };

  const running = new Set<Promise<void>>();
  try {
    await pMap(
      work(),
      ({ url, cached }) => {
        const task = (cached ? sizeCached(url, cached) : fetchOne(url)).finally(settle);
        running.add(task);
        return task.finally(() => running.delete(task));
      },
      { concurrency: options.concurrency ?? 8 },
    );
    // Failures in input order, whatever order the downloads finished in.
    const order = new Map(unique.map((url, i) => [url, i]));
    report.failed.sort((a, b) => order.get(a.url)! - order.get(b.url)!);
  } finally {
    // Keep what was downloaded even when the run is aborted; forget entries whose file is gone.
    await Promise.allSettled(running);
    for (const [url, entry] of manifest) if (!present.has(entry.file)) manifest.delete(url);
    await writeManifest(dir, manifest);
  }
  return report;
}
