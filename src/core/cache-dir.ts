import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a project's small state files go (Next.js's once-per-build lock, the tsconfig check's
 * memo): its `node_modules/.cache/unplugin-buttercms`, else the system's temporary folder —
 * never the project itself.
 */
export function cacheDirFor(root: string): string {
  const modules = join(root, 'node_modules');
  return existsSync(modules)
    ? join(modules, '.cache', 'unplugin-buttercms')
    : join(tmpdir(), 'unplugin-buttercms');
}
