/**
 * Next.js serves static files from `public/` only. The media stage keeps its files in
 * `mediaDir` (inside the snapshot folder by default, where it prunes what the content no longer
 * uses); `withButter` mirrors them into `public/<path of mediaBase>` — hard links, so nothing is
 * copied on one file system — after each sync, removing media files the snapshot dropped.
 * Only media file names are touched there: anything else in that folder is left alone.
 */
import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SnapshotOptions } from '../../core/options.ts';
import { listMediaFiles, outputPrefix } from '../unplugin/media.ts';

/**
 * The public folder media is served from (Next serves `public/x` at `<basePath>/x`), or
 * `undefined` when `mediaBase` is an absolute URL (media served from elsewhere) or `mediaDir`
 * already is that folder.
 */
export function publicMediaDir(
  root: string,
  options: SnapshotOptions,
  basePath = '',
): string | undefined {
  if (!options.media || /^[a-z][a-z0-9+.-]*:/i.test(options.mediaBase)) return undefined;
  const base = basePath.replace(/\/+$/, '');
  const path =
    base && options.mediaBase.startsWith(`${base}/`)
      ? options.mediaBase.slice(base.length)
      : options.mediaBase;
  const target = resolve(root, 'public', outputPrefix(path));
  return target === resolve(options.mediaDir) ? undefined : target;
}

/** Makes `to` hold exactly the media files of `from`. Resolves to how many files changed. */
export async function mirrorMedia(from: string, to: string): Promise<number> {
  const [source, present] = await Promise.all([listMediaFiles(from), listMediaFiles(to)]);
  const wanted = new Set(source);
  const have = new Set(present);
  await mkdir(to, { recursive: true });
  let changed = 0;
  for (const name of source) {
    if (have.has(name)) continue; // content-addressed: same name, same bytes
    await link(join(from, name), join(to, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return;
      if (error.code !== 'EXDEV' && error.code !== 'EPERM') throw error;
      return copyFile(join(from, name), join(to, name));
    });
    changed++;
  }
  for (const name of present) {
    if (wanted.has(name)) continue;
    await rm(join(to, name), { force: true });
    changed++;
  }
  return changed;
}
