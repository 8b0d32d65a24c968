/**
 * Media files in the build: the media stage stores them flat in `mediaDir`, named after their
 * content; the site refers to them as `mediaBase` + name. A build copies them into its output
 * under the path part of `mediaBase`; a dev server serves them from `mediaDir`.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isMediaFileName } from '../../core/media/names.ts';
import { mediaTypeOf } from '../../core/media/types.ts';

/** `/buttercms/` → `buttercms/`; `https://cdn.example.com/m/` → `m/`. */
export function outputPrefix(mediaBase: string): string {
  const path = new URL(mediaBase, 'http://localhost').pathname;
  const trimmed = path.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

export async function listMediaFiles(mediaDir: string): Promise<string[]> {
  try {
    return (await readdir(mediaDir)).filter(isMediaFileName).sort();
  } catch {
    return [];
  }
}

export interface EmittedMedia {
  fileName: string;
  source: Uint8Array;
}

/** The media files as assets for the build output. */
export async function mediaAssets(mediaDir: string, mediaBase: string): Promise<EmittedMedia[]> {
  const prefix = outputPrefix(mediaBase);
  const names = await listMediaFiles(mediaDir);
  return Promise.all(
    names.map(async (name) => ({
      fileName: `${prefix}${name}`,
      source: new Uint8Array(await readFile(join(mediaDir, name))),
    })),
  );
}

/**
 * Connect-style middleware serving `mediaDir` under the path of `mediaBase`. Only names the
 * media stage makes are served, so no request can reach another file.
 */
export function mediaMiddleware(mediaDir: () => string, mediaBase: string) {
  const prefix = `/${outputPrefix(mediaBase)}`;
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(prefix) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const name = path.slice(prefix.length);
    if (!isMediaFileName(name)) return next();
    const file = join(mediaDir(), name);
    stat(file).then(
      (info) => {
        res.setHeader('content-type', mediaTypeOf(name));
        res.setHeader('content-length', String(info.size));
        // Content-addressed: a name never changes its bytes.
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        if (req.method === 'HEAD') return res.end();
        createReadStream(file).pipe(res);
      },
      () => next(),
    );
  };
}
