/**
 * `src/core/snapshot/read.ts` for the browser: `virtual:buttercms` hands the reader its files
 * itself (lazy chunks), so opening a folder on disk is never needed there.
 */
import { ButterError } from '../../../core/errors.ts';

export interface SnapshotFiles {
  dir: string;
  manifest: unknown;
  readJson(path: string): Promise<unknown>;
}

function unavailable(): never {
  throw new ButterError('reading a snapshot folder is not available in the browser', {
    code: 'SNAPSHOT',
    hint: "Import the reader from 'virtual:buttercms' in code that runs in the browser.",
  });
}

export async function openSnapshot(_dir: string): Promise<SnapshotFiles> {
  unavailable();
}
export async function readManifest(_dir: string): Promise<undefined> {
  unavailable();
}
export async function readSnapshot(_dir: string): Promise<never> {
  unavailable();
}
