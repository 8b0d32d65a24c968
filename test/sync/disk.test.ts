/**
 * A disk that fails: full (ENOSPC) while the types or the snapshot are written, a read-only
 * folder (which Node's recursive mkdir reports as ENOENT), a rename that fails during the
 * swap. The file-system calls are wrapped so that the chosen one fails; everything else is
 * real. Each failure says what happened and what state the snapshot and the types are in — and
 * that is the state they are in.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { ButterError } from '../../src/core/errors.ts';
import type { Options } from '../../src/core/options.ts';
import { sync } from '../../src/core/sync/index.ts';
import { collectionsOf, pageTypesOf, readTree, tempDir } from './helpers.ts';

/** Which call fails: its name, a pattern its path matches, and the error code it fails with. */
const failing = vi.hoisted(() => ({
  call: '',
  path: /$^/,
  code: '',
}));

function check(call: string, path: unknown, code = failing.code): void {
  if (call !== failing.call || !failing.path.test(String(path))) return;
  const message = `${code}: simulated failure, ${call} '${String(path)}'`;
  throw Object.assign(new Error(message), { code, syscall: call, path: String(path) });
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    writeFile: (async (path, ...rest) => {
      check('write', path);
      return real.writeFile(path, ...rest);
    }) as typeof real.writeFile,
    rename: (async (from, to) => {
      check('rename', from);
      return real.rename(from, to);
    }) as typeof real.rename,
  };
});
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    writeFileSync: ((path, ...rest) => {
      check('write', path);
      return real.writeFileSync(path, ...rest);
    }) as typeof real.writeFileSync,
    mkdirSync: ((path, options) => {
      // What Node's recursive mkdir answers on a read-only file system: ENOENT.
      check('mkdir', path, 'ENOENT');
      return real.mkdirSync(path, options);
    }) as typeof real.mkdirSync,
    accessSync: ((path, mode) => {
      if (mode === real.constants.W_OK) check('mkdir', path);
      return real.accessSync(path, mode);
    }) as typeof real.accessSync,
  };
});

let fake: FakeButter;
let tmp: { dir: string; cleanup(): Promise<void> };
let options: Options;

beforeAll(async () => {
  fake = await startFakeButter({ account: 'small' });
  tmp = await tempDir();
  options = {
    token: fake.token,
    apiUrl: fake.apiUrl,
    root: tmp.dir,
    out: '.buttercms',
    types: 'buttercms.d.ts',
    locales: ['en', 'fr'],
    pageTypes: pageTypesOf(fake.account),
    collections: collectionsOf(fake.account),
    media: false,
  };
  await sync(options);
});
afterAll(async () => {
  await fake?.close();
  await tmp?.cleanup();
});

let field = 0;
beforeEach(() => {
  Object.assign(failing, { call: '', path: /$^/, code: '' });
  // A new field each time: new content and new types.
  field++;
  fake.updateAccount((account) => {
    const guide = account.pages.find((p) => p.pageType === 'guide')!;
    guide.fields[`added_${field}`] = 'x';
    guide.updated = new Date().toISOString();
  });
});

async function state() {
  return {
    snapshot: await readTree(join(tmp.dir, '.buttercms')),
    types: await readFile(join(tmp.dir, 'buttercms.d.ts'), 'utf8'),
  };
}

/** The error's last line before the hint says what is on disk: both as they were. */
function expectBothUntouched(error: ButterError): void {
  const out = join(tmp.dir, '.buttercms');
  const types = join(tmp.dir, 'buttercms.d.ts');
  expect(error.outcome).toMatch(
    new RegExp(`^The snapshot in ${out} \\(synced \\d+ s ago\\) and ${types} are untouched\\.$`),
  );
  expect(error.message.endsWith(`\n  ${error.outcome}`)).toBe(true);
}

/** A cold sync's failure (a warm one may have nothing to write). */
async function failure(): Promise<ButterError> {
  const error = await sync({ ...options, full: true }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ButterError);
  return error as ButterError;
}

it('a full disk while the types are written: both untouched, and said so', async () => {
  const before = await state();
  Object.assign(failing, {
    call: 'write',
    path: /buttercms\.d\.ts\.\d+-[0-9a-f]+\.tmp$/,
    code: 'ENOSPC',
  });
  const error = await failure();
  expect(error.code).toBe('TYPES');
  expect(error.message).toContain(
    `could not write the types to ${join(tmp.dir, 'buttercms.d.ts')}: no space left on the device (ENOSPC write`,
  );
  expectBothUntouched(error);
  expect(await state()).toEqual(before);
});

it('a full disk while the snapshot is written: the cause named, both untouched', async () => {
  const before = await state();
  Object.assign(failing, {
    call: 'write',
    path: /\.buttercms\.tmp-.*_chunk-0\.json$/,
    code: 'ENOSPC',
  });
  const error = await failure();
  expect(error.code).toBe('SNAPSHOT');
  expect(error.message).toMatch(
    /could not write the snapshot to .*\.buttercms: no space left on the device \(ENOSPC write \.buttercms\.tmp-/,
  );
  expect(error.hint).toContain('Free space on the disk');
  expectBothUntouched(error);
  expect(await state()).toEqual(before);
});

it('a read-only folder: the cause is EROFS, not the ENOENT Node reports', async () => {
  const before = await state();
  // The temporary folder cannot be made, nor anything in the folder it goes in.
  const path = new RegExp(`\\.buttercms\\.tmp-|^${tmp.dir}$`);
  Object.assign(failing, { call: 'mkdir', path, code: 'EROFS' });
  const error = await failure();
  expect(error.message).toContain('the file system is read-only (EROFS');
  expect(error.message).not.toContain('ENOENT');
  expect(error.hint).toContain(`Make ${tmp.dir} writable`);
  expectBothUntouched(error);
  expect(await state()).toEqual(before);
});

it('a swap that fails after the types were written: the types are put back', async () => {
  const before = await state();
  Object.assign(failing, { call: 'rename', path: /\.buttercms\.tmp-[^/]*$/, code: 'EACCES' });
  const error = await failure();
  expect(error.message).toContain('permission denied (EACCES rename');
  expectBothUntouched(error);
  expect(await state()).toEqual(before);
  // And the next sync goes through, content and types together.
  Object.assign(failing, { call: '' });
  await sync(options);
  const after = await state();
  expect(after.types).toContain(`added_${field}`);
});
