/**
 * The import directions between the folders (and root files) of `src/core`, as
 * `docs/design.md` documents them ("Pipeline"): every import is a documented direction, and
 * the documented directions have no cycle, so no folder imports one that imports it back.
 * And the Read API's paths are spelled in one place, `model/api-paths.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const core = join(root, 'src/core');

/** The folder under `src/core` a file is in, or the root file itself (`options.ts`). */
const layerOf = (file: string): string => relative(core, file).split(sep)[0]!;

/** Each documented layer with the layers it may import, from the block in docs/design.md. */
function documentedDirections(): Map<string, Set<string>> {
  const design = readFileSync(join(root, 'docs/design.md'), 'utf8');
  const block = /test\/core\/layers\.test\.ts[\s\S]*?```text\n([\s\S]*?)```/.exec(design)?.[1];
  if (block === undefined) throw new Error('docs/design.md has no import directions block');
  const directions = new Map<string, Set<string>>();
  for (const line of block.trim().split('\n')) {
    const [from, to = ''] = line.split('→').map((part) => part.trim());
    directions.set(from!, new Set(to.split(/\s+/).filter(Boolean)));
  }
  return directions;
}

/** Every `.ts` file under `src/core`, relative to it. */
const coreFiles = () =>
  readdirSync(core, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

/** Every import from one layer of `src/core` into another: `from → to` with a file making it. */
function actualImports(): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of coreFiles()) {
    const file = join(core, name);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(core + sep)) continue;
      const [from, to] = [layerOf(file), layerOf(target)];
      if (from !== to && !found.has(`${from} → ${to}`)) found.set(`${from} → ${to}`, name);
    }
  }
  return found;
}

describe('src/core import directions', () => {
  const directions = documentedDirections();
  const imports = actualImports();

  it('lists every folder and root file of src/core', () => {
    const layers = readdirSync(core).filter((name) => !name.includes('.') || name.endsWith('.ts'));
    expect([...directions.keys()].sort()).toEqual(layers.sort());
  });

  it('has every import between them in a documented direction, and every direction in use', () => {
    const undocumented = [...imports].filter(([edge]) => {
      const [from, to] = edge.split(' → ');
      return !directions.get(from!)?.has(to!);
    });
    expect(undocumented.map(([edge, file]) => `${edge} (${file})`)).toEqual([]);
    const documented = [...directions].flatMap(([from, tos]) =>
      [...tos].map((to) => `${from} → ${to}`),
    );
    expect(documented.filter((edge) => !imports.has(edge))).toEqual([]);
  });

  it('documents directions without a cycle: no layer imports one that imports it back', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycle = (layer: string, path: string[]): string[] | undefined => {
      if (state.get(layer) === 'done') return undefined;
      if (state.get(layer) === 'visiting') return [...path.slice(path.indexOf(layer)), layer];
      state.set(layer, 'visiting');
      for (const next of directions.get(layer) ?? []) {
        const found = cycle(next, [...path, layer]);
        if (found) return found;
      }
      state.set(layer, 'done');
      return undefined;
    };
    for (const layer of directions.keys()) expect(cycle(layer, [])?.join(' → ')).toBeUndefined();
  });
});

describe('Read API paths', () => {
  it('are spelled in model/api-paths.ts only', () => {
    const endpoint = /^\/(pages|content|posts|authors|categories|tags|feeds)\//;
    const spelled: string[] = [];
    for (const name of coreFiles()) {
      if (name === join('model', 'api-paths.ts')) continue;
      const text = readFileSync(join(core, name), 'utf8');
      const visit = (node: ts.Node): void => {
        // Literals a string starts with (a template's middle parts are inside a path already).
        if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node)) {
          if (endpoint.test(node.text)) spelled.push(`${name}: ${node.text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true));
    }
    expect(spelled).toEqual([]);
  });
});
