/**
 * The stages after the crawl that belong to other modules: media download/rewrite
 * (`src/core/media`) and type generation (`src/core/codegen`). Each runs only when enabled;
 * while a stage is not part of this build it is skipped and the summary says so.
 */
import { describeMediaReport, syncMedia } from '../media/index.ts';
import type { ResolvedOptions } from '../options.ts';
import type { JsonObject, SnapshotContent } from '../snapshot/model.ts';
import type { SyncEvent } from './types.ts';

export interface StageEnv {
  warn(message: string): void;
  emit(event: SyncEvent): void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export async function runMedia(
  content: SnapshotContent,
  options: ResolvedOptions,
  env: StageEnv,
): Promise<{ content: SnapshotContent; report?: JsonObject }> {
  if (!options.media) return { content };
  const result = await syncMedia(content, options, {
    onWarning: (warning) => env.warn(warning.message),
    onProgress: (done, total) => env.emit({ type: 'media', done, total }),
    ...(env.fetch ? { fetch: env.fetch } : {}),
    ...(env.signal ? { signal: env.signal } : {}),
  });
  const { report } = result;
  return {
    content: result.content,
    report: {
      files: report.files.size,
      downloaded: report.downloaded,
      cached: report.cached,
      failed: report.failed.length,
      bytes: report.bytes,
      summary: describeMediaReport(report),
    },
  };
}

export async function runTypes(
  options: ResolvedOptions,
  _env: { warn(message: string): void; changed: boolean },
): Promise<{ report?: JsonObject }> {
  if (options.types === false) return {};
  return { report: { skipped: 'type generation is not available in this build yet' } };
}
