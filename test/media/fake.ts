import type { FakeAccount } from '../../fixtures/account/types.ts';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import type { SnapshotContent } from '../../src/core/model/content.ts';
import { type Options, type ResolvedOptions, resolveOptions } from '../../src/core/options.ts';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { tempDir } from './stub.ts';

export interface FakeSetup {
  fake: FakeButter;
  /** `127.0.0.1:<port>`: the fake CDN's host, for mediaHosts. */
  host: string;
  root: string;
  /** The account's content as synced without media (URLs point at the fake CDN). */
  content: SnapshotContent;
  /** Sync options for this account (every page type, collection and locale). */
  syncOptions(extra?: Options): Options;
  /** Resolved options for `syncMedia`. */
  options(extra?: Options): ResolvedOptions;
  close(): Promise<void>;
}

function scope(account: FakeAccount): Options {
  return {
    pageTypes: [...new Set(account.pages.flatMap((p) => (p.pageType ? [p.pageType] : [])))],
    collections: Object.keys(account.collections),
    locales: account.locales,
  };
}

/** Starts the fake with `account` and crawls it once with `media: false`. */
export async function setupFake(account: string): Promise<FakeSetup> {
  const fake = await startFakeButter({ account });
  const { dir: root, cleanup } = await tempDir();
  const host = new URL(fake.url).host;
  const syncOptions = (extra: Options = {}): Options => ({
    token: fake.token,
    apiUrl: fake.apiUrl,
    root,
    types: false,
    mediaHosts: [host],
    ...scope(fake.account),
    ...extra,
  });
  await sync(syncOptions({ media: false, out: 'remote' }), { logger: { warn() {} } });
  const { content } = await readSnapshot(`${root}/remote`);
  fake.resetLog();
  return {
    fake,
    host,
    root,
    content,
    syncOptions,
    options: (extra = {}) => resolveOptions(syncOptions(extra), {}),
    close: async () => {
      await fake.close();
      await cleanup();
    },
  };
}

/** Requests the fake answered outside the API (media). */
export function mediaRequests(fake: FakeButter): string[] {
  return fake.log.filter((e) => !e.path.startsWith('/v2')).map((e) => e.path);
}
