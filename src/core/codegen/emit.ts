import type {
  InterfaceDeclarationStructure,
  JSDocStructure,
  OptionalKind,
  SourceFile,
  StatementStructures,
} from 'ts-morph';
import { TYPES_BANNER, TYPES_PRELUDE } from '../../../templates/types.ts';
import type { TypesLock } from './model.ts';
import { lockToSchema, propertyKey, ROOT_NAME, type SchemaOptions } from './schema.ts';

type TsMorph = typeof import('ts-morph');

/**
 * Identifies what `emitDeclarations` produces for a given lock and options: a declarations file
 * stamped with an older one is emitted again. Bump it whenever the output changes (the golden
 * test `emitter.test.ts` fails until it is).
 */
export const EMITTER_VERSION = 1;

/** The package the lookup interfaces are augmented in. */
export const PACKAGE_NAME = 'unplugin-buttercms';

export type EmitOptions = SchemaOptions;

/**
 * The declarations file for a (named) lock: json-schema-to-typescript turns the lock's JSON
 * Schema into interfaces; ts-morph assembles the module — banner, prelude, the interfaces with
 * their JSDoc, and the augmentation of the reader's lookup interfaces. Deterministic.
 */
export async function emitDeclarations(
  lock: TypesLock,
  options: EmitOptions = {},
): Promise<string> {
  // Loaded on demand: the package entry (the reader) must not pull in the TypeScript compiler.
  const [{ compile }, morph] = await Promise.all([
    import('json-schema-to-typescript'),
    import('ts-morph'),
  ]);
  const { IndentationText, Project, QuoteKind, ts } = morph;
  const { schema, docs, keys } = lockToSchema(lock, options);
  const generated = await compile(schema, ROOT_NAME, {
    bannerComment: '',
    format: false,
    additionalProperties: false,
    unreachableDefinitions: false,
    declareExternallyReferenced: true,
    strictIndexSignatures: false,
    enableConstEnums: false,
    unknownAny: true,
    cwd: '/',
  });

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Single,
      useTrailingCommas: false,
    },
  });
  const parsed = project.createSourceFile('generated.ts', generated);
  // Structures are added in one go: adding declarations one by one re-parses the file each time.
  const statements: StatementStructures[] = [];
  for (const declaration of parsed.getInterfaces()) {
    const name = declaration.getName();
    if (name === ROOT_NAME) continue;
    const structure = declaration.getStructure();
    // Component wrappers' own properties (`type`, `fields`) are no content keys.
    const named = keys.has(name);
    statements.push({
      ...structure,
      docs: docFor(docs, name),
      properties: structure.properties?.map((p) => ({
        ...p,
        name: named ? propertyName(propertyKey(keys, name, p.name)) : p.name,
        docs: p.docs?.map(trimDoc),
      })),
    });
  }
  for (const declaration of parsed.getTypeAliases()) {
    statements.push({ ...declaration.getStructure(), docs: docFor(docs, declaration.getName()) });
  }
  const file = project.createSourceFile('buttercms.d.ts', '');
  file.addStatements([
    TYPES_BANNER,
    TYPES_PRELUDE.trim(),
    embeddedPage(lock, morph),
    ...statements,
  ]);
  addAugmentation(file, lock, morph);
  file.formatText({
    indentSize: 2,
    convertTabsToSpaces: true,
    ensureNewLineAtEndOfFile: true,
    semicolons: ts.SemicolonPreference.Insert,
  });
  return file.getFullText();
}

/** json-schema-to-typescript writes every description as a block; one-liners read better. */
function trimDoc(doc: string | OptionalKind<JSDocStructure>): string {
  const text =
    typeof doc === 'string' ? doc : typeof doc.description === 'string' ? doc.description : '';
  return text.trim();
}

function docFor(docs: Map<string, string>, name: string): string[] {
  const doc = docs.get(name);
  return doc === undefined ? [] : [doc];
}

/** Types of the keys a page object can carry besides `fields`. */
const PAGE_KEY_TYPES: { [key: string]: string } = {
  slug: 'string',
  name: 'string',
  published: 'string | null',
  updated: 'string | null',
  page_type: 'string | null',
  status: 'string',
  scheduled: 'string | null',
};

/** `ButterEmbeddedPage<Fields>`: a referenced page with exactly the keys the API embeds. */
function embeddedPage(lock: TypesLock, morph: TsMorph): InterfaceDeclarationStructure {
  const keys = lock.embedded.pageKeys.includes('fields')
    ? lock.embedded.pageKeys
    : [...lock.embedded.pageKeys, 'fields'];
  return {
    kind: morph.StructureKind.Interface,
    name: 'ButterEmbeddedPage',
    isExported: true,
    typeParameters: ['Fields'],
    docs: [
      'A referenced page as embedded in the referencing entity, within the synced reference depth (the keys are those the API embeds, learned by the sync).',
    ],
    properties: keys.map((key) => ({
      name: quoteKey(key),
      type:
        key === 'fields'
          ? 'Fields'
          : Object.hasOwn(PAGE_KEY_TYPES, key)
            ? PAGE_KEY_TYPES[key]!
            : 'unknown',
    })),
  };
}

function addAugmentation(file: SourceFile, lock: TypesLock, morph: TsMorph): void {
  const module = file.addModule({
    name: `'${PACKAGE_NAME}'`,
    declarationKind: morph.ModuleDeclarationKind.Module,
    hasDeclareKeyword: true,
  });
  const map = (name: string, doc: string, entries: [string, string][]) => {
    module.addInterface({
      name,
      docs: [doc],
      properties: entries.map(([key, type]) => ({ name: quoteKey(key), type })),
    });
  };
  const fields = (e: { key: string; shape: { name?: string } }): [string, string] => [
    e.key,
    e.shape.name!,
  ];
  map('ButterPageTypes', 'Page type slug → the fields of its pages.', lock.pageTypes.map(fields));
  map('ButterSinglePages', 'Single page slug → its fields.', lock.singlePages.map(fields));
  map(
    'ButterCollections',
    'Collection key → one of its items (with `meta.id`).',
    lock.collections.map(fields),
  );
  map('ButterBlogTypes', 'Blog object types.', lock.blog.map(fields));
}

/**
 * A content key as a property name in the generated interfaces: as json-schema-to-typescript
 * writes one (an identifier as it is, anything else as a JSON string).
 */
function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** A property name as TypeScript source: quoted unless it is an identifier. */
export function quoteKey(key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return key;
  return `'${JSON.stringify(key).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}
