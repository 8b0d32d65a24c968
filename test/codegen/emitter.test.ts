/**
 * Declarations files are stamped with what they were emitted from (`writeDeclarations`), so an
 * unchanged lock is not emitted again. That is only sound while `EMITTER_VERSION` changes with
 * the emitter's output: the first test pins the output for a fixed lock to the version.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as emit from '../../src/core/codegen/emit.ts';
import { parseLock } from '../../src/core/codegen/lock.ts';
import type { TypesLock } from '../../src/core/codegen/model.ts';
import { writeDeclarations } from '../../src/core/codegen/write.ts';

vi.mock('../../src/core/codegen/emit.ts', async (original) => {
  const actual = await original<typeof import('../../src/core/codegen/emit.ts')>();
  return { ...actual, emitDeclarations: vi.fn(actual.emitDeclarations) };
});

/**
 * sha256 of the declarations emitted for `emitter-input.types-lock` (open, then closed enums),
 * by emitter version. When the output changes, bump `EMITTER_VERSION` and add its digest here.
 */
const OUTPUT_BY_VERSION: Record<number, string> = {
  1: '6de625ff0c799734e8f7d1d17d8365a991d534b317eac2eb19eb3861665d0078',
  // 2: the augmentation declares `ButterDeclarations { generated: true }` (keys are checked).
  2: 'd10723c43bf926ead5cc79181c419e6802b4a806fa89c965da9f5dabd29db273',
};

let lock: TypesLock;
let dir: string;
beforeAll(async () => {
  lock = parseLock(await readFile(join(import.meta.dirname, 'emitter-input.types-lock'), 'utf8'))!;
  dir = await mkdtemp(join(tmpdir(), 'emitter-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('EMITTER_VERSION changes with the output', async () => {
  const hash = createHash('sha256');
  hash.update(await emit.emitDeclarations(lock));
  hash.update(await emit.emitDeclarations(lock, { closedEnums: true }));
  expect(
    hash.digest('hex'),
    `the emitted declarations changed: bump EMITTER_VERSION (${emit.EMITTER_VERSION}) in src/core/codegen/emit.ts and record the new digest in OUTPUT_BY_VERSION`,
  ).toBe(OUTPUT_BY_VERSION[emit.EMITTER_VERSION]);
});

describe('writeDeclarations', () => {
  it('emits only when the lock, the options or the file changed', async () => {
    const file = join(dir, 'buttercms.d.ts');
    const emitted = vi.mocked(emit.emitDeclarations);
    emitted.mockClear();
    expect(await writeDeclarations(file, lock)).toBe(true);
    const text = await readFile(file, 'utf8');
    const [stamp, ...rest] = text.split('\n');
    expect(stamp).toMatch(/^\/\/ buttercms-types [0-9a-f]{32} [0-9a-f]{32}$/);
    expect(rest.join('\n')).toBe(await emit.emitDeclarations(lock));
    emitted.mockClear();

    const before = await stat(file);
    expect(await writeDeclarations(file, lock)).toBe(false);
    expect(emitted).not.toHaveBeenCalled();
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);

    // Other options: emitted again.
    expect(await writeDeclarations(file, lock, { closedEnums: true })).toBe(true);
    expect(emitted).toHaveBeenCalledTimes(1);
    // A hand-edited body (stamp kept): emitted again, the edit undone.
    const edited = (await readFile(file, 'utf8')).replace('interface', 'interface Edited');
    await writeFile(file, edited);
    expect(await writeDeclarations(file, lock, { closedEnums: true })).toBe(true);
    expect(emitted).toHaveBeenCalledTimes(2);
    expect(await readFile(file, 'utf8')).not.toContain('Edited');
    // Another lock: emitted again.
    const other = structuredClone(lock);
    other.levels = lock.levels + 1;
    expect(await writeDeclarations(file, other, { closedEnums: true })).toBe(true);
    expect(emitted).toHaveBeenCalledTimes(3);
  });
});
