/**
 * What the watch loop needs from its host (a dev server, the CLI): the core calls only this
 * interface and never imports a bundler. Each host implements it its own way — Vite invalidates
 * its virtual modules and sends an HMR update, the CLI just prints.
 */
import type { Manifest } from '../snapshot/index.ts';
import type { Logger } from '../toolkit/log.ts';

/** What changed between two snapshots, by relative snapshot path. */
export interface SnapshotChange {
  /** Files added, changed or removed (manifest `hashes` keys). */
  files: string[];
  /** The generated declarations changed (content shapes changed). */
  typesChanged: boolean;
  manifest: Manifest;
  /** Why the refresh ran: `poll`, `webhook`, `snapshot` (the folder changed on disk), … */
  reason: string;
}

export interface HostContext {
  /** Content changed: drop cached modules that read `change.files` and update the page. */
  invalidate(change: SnapshotChange): void | Promise<void>;
  /** Something the host cannot update in place changed (the config): reload everything. */
  reload(reason: string): void | Promise<void>;
  log: Logger;
}
