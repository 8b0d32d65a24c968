/**
 * The crawl's spool: entities written as their pages arrive and read back one at a time, in
 * any order the listings put them; the file never outlives the sync, and one a killed sync
 * left is swept by the next.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/model/content.ts';
import { Spool } from '../../src/core/snapshot/spool.ts';
import { tempDir } from '../sync/helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let spool: Spool | undefined;
beforeEach(async () => {
  tmp = await tempDir('butter-spool-');
});
afterEach(async () => {
  spool?.close();
  spool = undefined;
  await tmp.cleanup();
});

const open = async (out = join(tmp.dir, '.buttercms')) => {
  spool = await Spool.open(out);
  return spool;
};

const post = (n: number): JsonObject => ({
  slug: `post-${n}`,
  title: `Ünïcode “${n}” 🎉`,
  body: '<p>x</p>\n'.repeat(n % 7),
  // A key that must stay an own property, not a prototype.
  ['__proto__']: { polluted: true },
  n,
});

it('gives back each entity as it was written, by index and in order, as its JSON text', async () => {
  const s = await open();
  const first = s.put([post(1), post(2)]);
  const second = s.put([post(3)]);
  const list = s.list([...first, ...second]);
  expect(list.length).toBe(3);
  expect([...list]).toEqual([post(1), post(2), post(3)]);
  expect(list.at(1)).toEqual(post(2));
  expect(list.at(-1)).toEqual(post(3));
  expect(list.at(3)).toBeUndefined();
  expect([...list.texts()]).toEqual([1, 2, 3].map((n) => JSON.stringify(post(n))));
  expect(list.text(2)).toBe(JSON.stringify(post(3)));
  expect(Object.hasOwn(list.at(0)!, '__proto__')).toBe(true);
  expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
});

it('reads texts in any order the listing puts them, runs of neighbours at once', async () => {
  const s = await open();
  const refs = s.put(Array.from({ length: 300 }, (_, n) => post(n)));
  // Reversed, then shuffled in blocks: each text must still be its own.
  const order = refs.map((_, i) => i).reverse();
  order.push(...[5, 6, 7, 100, 101, 2, 3]);
  const list = s.list(order.map((i) => refs[i]!));
  expect([...list].map((e) => e.n)).toEqual(order);
});

it('maps into a new list and composes lists of kept and new entities', async () => {
  const s = await open();
  const base = s.list(s.put([post(1), post(2), post(3)]));
  const renamed = base.map((e) => ({ ...e, title: 'changed' }));
  expect([...renamed].map((e) => e.title)).toEqual(['changed', 'changed', 'changed']);
  expect([...base].map((e) => e.title)).toEqual([1, 2, 3].map((n) => post(n).title));
  const composed = s.compose(base, [2, post(9), 0]);
  expect([...composed].map((e) => e.n)).toEqual([3, 9, 1]);
  const fromArray = s.compose([post(4), post(5)], [1, post(6)]);
  expect([...fromArray].map((e) => e.n)).toEqual([5, 6]);
});

it('leaves no file beside the snapshot, open or closed', async () => {
  const s = await open();
  s.put([post(1)]);
  expect((await readdir(tmp.dir)).filter((name) => name.endsWith('.spool'))).toEqual([]);
  s.close();
  expect(await readdir(tmp.dir)).toEqual([]);
});

it('sweeps the spool file a killed sync left, not one of a running process', async () => {
  // Process ids beyond the kernel's limit never run.
  const stale = '.buttercms.4194999-0a1b2c.spool';
  const live = `.buttercms.${process.pid}-0a1b2c.spool`;
  await writeFile(join(tmp.dir, stale), 'left by a killed sync');
  await writeFile(join(tmp.dir, live), 'being written');
  await open();
  expect(await readdir(tmp.dir)).toEqual([live]);
});

it('spools in the system temporary folder when the snapshot folder cannot be written', async () => {
  // A file where the snapshot's parent folder should be.
  const blocked = join(tmp.dir, 'file');
  await writeFile(blocked, '');
  const s = await open(join(blocked, 'site', '.buttercms'));
  expect([...s.list(s.put([post(1)]))]).toEqual([post(1)]);
});
