import type { JSONSchema4 } from 'json-schema';
import { plural } from '../toolkit/format.ts';
import { vocabularyKey } from './infer/values.ts';
import type { Entity, ObjectShape, Shape, StringShape, TypesLock } from './model.ts';

export const ROOT_NAME = 'ButterGeneratedRoot';

export interface SchemaOptions {
  /** Emit dropdown-like values as closed literal unions instead of open ones. */
  closedEnums?: boolean;
}

/**
 * The lock as one JSON Schema: every named type is a definition (titled with its name, so
 * json-schema-to-typescript keeps it), reached from a root in output order. `docs` holds the
 * JSDoc of each named type, set by the emitter.
 */
export interface LockSchema {
  schema: JSONSchema4;
  docs: Map<string, string>;
  /**
   * The content keys of each named type's properties, by position: the schema names them
   * `p0`, `p1` … instead, so that a key such as `hasOwnProperty`, or one json-schema-to-typescript
   * cannot spell in a URI (a lone surrogate), reaches the emitter as data, never as a name its
   * code looks up (`propertyKey`).
   */
  keys: Map<string, string[]>;
}

/** The placeholder a property is named by in the schema (see `LockSchema.keys`). */
function placeholder(index: number): string {
  return `p${index}`;
}

/** The content key a placeholder property name stands for in the named type `type`. */
export function propertyKey(keys: LockSchema['keys'], type: string, name: string): string {
  const index = /^p(\d+)$/.exec(name)?.[1];
  const key = index === undefined ? undefined : keys.get(type)?.[Number(index)];
  if (key === undefined) throw new Error(`no content key for ${type}.${name}`);
  return key;
}

interface Ctx {
  lock: TypesLock;
  options: SchemaOptions;
  definitions: Map<string, JSONSchema4>;
  docs: Map<string, string>;
  keys: Map<string, string[]>;
  /** Names of the fields types by page type slug / item types by collection key. */
  pageFields: Map<string, string>;
  itemTypes: Map<string, string>;
  wrappers: Map<string, string>;
}

export function lockToSchema(lock: TypesLock, options: SchemaOptions = {}): LockSchema {
  const ctx: Ctx = {
    lock,
    options,
    definitions: new Map(),
    docs: new Map(),
    keys: new Map(),
    pageFields: new Map(lock.pageTypes.map((e) => [e.key, e.shape.name!])),
    itemTypes: new Map(lock.collections.map((e) => [e.key, e.shape.name!])),
    wrappers: new Map(lock.components.map((e) => [e.key, e.wrapper!])),
  };
  const roots: string[] = [];
  const add = (entity: Entity, doc: string, owner: string) => {
    roots.push(entity.shape.name!);
    defineObject(
      ctx,
      entity.shape,
      doc,
      { owner, path: '' },
      entity.samples === 0 && entity.shape.props.length === 0,
    );
  };
  for (const e of lock.pageTypes) {
    add(
      e,
      `Fields of the pages of type ${code(e.key)} ${evidence(e.samples, 'page')}.`,
      `page type ${code(e.key)}`,
    );
  }
  for (const e of lock.singlePages) {
    add(
      e,
      `Fields of the single page ${code(e.key)} ${evidence(e.samples, 'sample', ', one per locale')}.`,
      `single page ${code(e.key)}`,
    );
  }
  for (const e of lock.collections) {
    add(
      e,
      `An item of the collection ${code(e.key)}, with its \`meta.id\` ${evidence(e.samples, 'item')}.`,
      `collection ${code(e.key)}`,
    );
  }
  for (const e of lock.components) {
    const wrapper = e.wrapper!;
    roots.push(wrapper);
    ctx.definitions.set(wrapper, {
      title: wrapper,
      type: 'object',
      additionalProperties: false,
      required: ['type', 'fields'],
      properties: { type: { const: e.key }, fields: { $ref: ref(e.shape.name!) } },
    });
    ctx.docs.set(
      wrapper,
      `The component ${code(e.key)} as placed in a component picker: check \`type\` to narrow \`fields\`.`,
    );
    add(
      e,
      `Fields of the component ${code(e.key)}, one type for every page type and collection using it ${evidence(e.samples, 'use')}.`,
      `component ${code(e.key)}`,
    );
  }
  const blogWords: Record<string, string> = {
    post: 'post',
    author: 'author',
    category: 'category',
    tag: 'tag',
  };
  for (const e of lock.blog) {
    const word = blogWords[e.key] ?? 'sample';
    add(e, `A blog ${word} as the reader returns it ${evidence(e.samples, word)}.`, `blog ${word}`);
  }
  const schema: JSONSchema4 = {
    title: ROOT_NAME,
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(roots.map((name, i) => [`t${i}`, { $ref: ref(name) }])),
    definitions: Object.fromEntries(ctx.definitions),
  };
  return { schema, docs: ctx.docs, keys: ctx.keys };
}

function ref(name: string): string {
  return `#/definitions/${name}`;
}

function evidence(samples: number, word: string, extra = ''): string {
  if (samples === 0) return '(no samples in the latest sync: kept by types.lock.json)';
  return `(inferred from ${plural(samples, word)}${extra})`;
}

/** Content text for JSDoc: quoted, control characters escaped, and unable to close the comment. */
export function code(text: string): string {
  const json = JSON.stringify(text).slice(1, -1).replace(/`/g, '\\`');
  return `\`${json.replace(/\*\//g, '*\\/').replace(/@/g, '\\@')}\``;
}

/** Where a nested type sits: the entity (`page type \`landing-page\``) and the raw key path. */
interface Where {
  owner: string;
  path: string;
}

function defineObject(ctx: Ctx, obj: ObjectShape, doc: string, where: Where, open = false): void {
  const name = obj.name!;
  if (ctx.definitions.has(name)) return;
  ctx.docs.set(name, doc);
  const definition: JSONSchema4 = { title: name, type: 'object', additionalProperties: open };
  ctx.definitions.set(name, definition);
  const properties: { [key: string]: JSONSchema4 } = {};
  const required: string[] = [];
  ctx.keys.set(
    name,
    obj.props.map((p) => p.key),
  );
  for (const [index, prop] of obj.props.entries()) {
    const path = {
      owner: where.owner,
      path: where.path === '' ? prop.key : `${where.path}.${prop.key}`,
    };
    properties[placeholder(index)] = propertySchema(ctx, prop.key, prop.shape, path);
    if (!prop.optional) required.push(placeholder(index));
  }
  definition.properties = properties;
  if (required.length > 0) definition.required = required;
}

/** Whether repeated values of `key` may read as a dropdown's choices. */
function enumsAllowed(where: Where, key: string): boolean {
  return vocabularyKey(key, where.owner.startsWith('blog '));
}

function propertySchema(ctx: Ctx, key: string, shape: Shape, path: Where): JSONSchema4 {
  if (key === 'meta' && isItemMeta(shape)) return { tsType: 'ButterItemMeta' };
  const schema = shapeSchema(ctx, shape, path, enumsAllowed(path, key));
  const note = stringNote(shape);
  if (note && !shape.object && !shape.component) schema.description = note;
  return schema;
}

function isItemMeta(shape: Shape): boolean {
  const keys = Object.keys(shape);
  const props = shape.object?.props;
  return (
    keys.length === 1 &&
    props?.length === 1 &&
    props[0]!.key === 'id' &&
    !props[0]!.optional &&
    Object.keys(props[0]!.shape).join() === 'number' &&
    props[0]!.shape.number === 'integer'
  );
}

function stringNote(shape: Shape): string | undefined {
  const kinds = shape.string?.kinds ?? [];
  if (
    kinds.length !== 1 &&
    !(kinds.length === 2 && kinds.includes('html') && kinds.includes('text'))
  ) {
    return undefined;
  }
  if (kinds.includes('html')) return 'HTML (WYSIWYG field).';
  if (kinds[0] === 'date') return 'ISO 8601 timestamp.';
  if (kinds[0] === 'media') {
    return `Media: the URL of the file${shape.string!.empty ? ' (`""` when empty)' : ''}.`;
  }
  return undefined;
}

function shapeSchema(ctx: Ctx, shape: Shape, path: Where, enums: boolean): JSONSchema4 {
  const members: JSONSchema4[] = [];
  const nonString =
    shape.null ||
    shape.boolean ||
    shape.number ||
    shape.emptyObject ||
    shape.object ||
    shape.array ||
    shape.component ||
    shape.ref;
  if (shape.string) members.push(...stringSchemas(ctx, shape.string, Boolean(nonString), enums));
  if (shape.number) members.push({ type: shape.number });
  if (shape.boolean) members.push({ type: 'boolean' });
  if (shape.object) {
    const obj = shape.object;
    const doc = `${code(path.path)} in ${path.owner} ${evidence(obj.samples, 'sample')}.`;
    defineObject(ctx, obj, doc, path);
    members.push({ $ref: ref(obj.name!) });
  }
  for (const type of shape.component ?? []) {
    const wrapper = ctx.wrappers.get(type);
    if (wrapper !== undefined) members.push({ $ref: ref(wrapper) });
  }
  if (shape.ref) members.push(...refSchemas(ctx, shape));
  if (shape.array)
    members.push({
      type: 'array',
      items: shapeSchema(ctx, shape.array, { ...path, path: `${path.path}[]` }, enums),
    });
  if (shape.emptyObject) {
    members.push(
      members.length === 0
        ? { type: 'object', additionalProperties: true }
        : { tsType: 'ButterEmpty' },
    );
  }
  if (shape.null) members.push({ type: 'null' });
  if (members.length === 0) return {};
  return members.length === 1 ? members[0]! : { anyOf: members };
}

function stringSchemas(ctx: Ctx, s: StringShape, others: boolean, enums: boolean): JSONSchema4[] {
  const kinds = s.kinds;
  if (kinds.length === 0) return others ? [{ const: '' }] : [{ type: 'string' }];
  if (kinds.length === 1 && kinds[0] === 'date') return [{ tsType: 'ButterDateTime' }];
  if (kinds.length === 1 && kinds[0] === 'media') return [{ tsType: 'ButterMedia' }];
  if (kinds.includes('html') && kinds.every((k) => k === 'html' || k === 'text')) {
    return [{ tsType: 'ButterHtml' }];
  }
  const values = s.values;
  // The lock holds a closed vocabulary, or nothing (see `mergeString`).
  if (enums && kinds.length === 1 && values && values.length > 1) {
    const literals: JSONSchema4[] = values.map((v) => ({ const: v }));
    if (s.empty) literals.push({ const: '' });
    if (!ctx.options.closedEnums) literals.push({ tsType: '(string & {})' });
    return literals;
  }
  return [{ type: 'string' }];
}

function refSchemas(ctx: Ctx, shape: Shape): JSONSchema4[] {
  const embed = ctx.lock.levels >= 2;
  const out: JSONSchema4[] = [];
  for (const pageType of shape.ref!.pages) {
    const fields = ctx.pageFields.get(pageType);
    if (embed && fields) out.push({ tsType: `ButterEmbeddedPage<${fields}>` });
    else if (embed && pageType === '*') {
      out.push({ tsType: 'ButterEmbeddedPage<{ [key: string]: unknown }>' });
    }
    out.push({ tsType: `ButterPageUri<${JSON.stringify(pageType)}>` });
  }
  for (const key of shape.ref!.collections) {
    const item = ctx.itemTypes.get(key);
    const drop = ctx.lock.embedded.itemDrop;
    if (embed && item && drop.length === 0) out.push({ $ref: ref(item) });
    else if (embed && item) {
      out.push({ tsType: `Omit<${item}, ${drop.map((k) => JSON.stringify(k)).join(' | ')}>` });
    }
    out.push({ tsType: `ButterItemUri<${JSON.stringify(key)}>` });
  }
  return out;
}
