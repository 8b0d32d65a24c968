/**
 * Child: one `writeSnapshot()` (from a built store module), measured in its own process.
 * Reads the content back from a synced snapshot first (not measured), then writes it to
 * `input.dir`: `first` into a fresh folder, `unchanged` over a copy of the same snapshot,
 * `changed` over that copy with 1% of the entities edited.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { peakRss, readInput, report } from './lib.mjs';

const input = await readInput();
const { readSnapshot, writeSnapshot } = await import(pathToFileURL(input.module).href);
const { content, manifest } = await readSnapshot(input.source);
const facts = {
  source: manifest.source,
  levels: manifest.levels,
  preview: manifest.preview,
  discovered: manifest.discovered,
  optionsDigest: manifest.optionsDigest,
};
// Files the sync adds beside the rendered ones (e.g. profile.json), as it passes them.
const extraFiles = {};
for (const path of Object.keys(manifest.hashes)) {
  if (path === 'probes.json' || /^(locales|blog)\//.test(path)) continue;
  extraFiles[path] = await readFile(join(input.source, path), 'utf8');
}
if (input.scenario === 'changed') {
  const entities = [
    ...content.blog.posts,
    ...content.locales.flatMap((l) => [
      ...l.singlePages,
      ...Object.values(l.pageTypes).flat(),
      ...Object.values(l.collections).flat(),
    ]),
  ];
  for (let i = 0; i < entities.length; i += 100) entities[i].changedByBench = i;
}
setFlagsFromString('--expose-gc');
runInNewContext('gc')(); // the base RSS below is the content's, not reading's garbage
const baseRss = process.memoryUsage().rss;
const baseMaxRss = peakRss();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await writeSnapshot(input.dir, content, facts, { extraFiles });
const wallMs = performance.now() - started;
await result.removed; // (not timed: the caller does not wait for it either)
const cpu = process.cpuUsage(cpuBefore);
report({
  wallMs,
  writeCpuMs: (cpu.user + cpu.system) / 1000,
  baseRss,
  baseMaxRss,
  changed: result.changed,
  files: result.files,
  reused: result.reused,
});
