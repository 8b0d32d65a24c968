import { isObject } from '../model/json.ts';
import {
  type Entity,
  LOCK_VERSION,
  type ObjectShape,
  type Shape,
  type TypesLock,
} from './model.ts';

export const TYPES_LOCK_FILE = 'types.lock.json';

/** Two-space JSON with a trailing newline; key order is fixed by construction. */
export function serializeLock(lock: TypesLock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/**
 * Parses `types.lock.json`. Returns `undefined` for a lock of another format version or one
 * that does not have the expected structure (it is then rebuilt from the content alone).
 */
export function parseLock(text: string): TypesLock | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isLock(data) ? data : undefined;
}

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

function isLock(v: unknown): v is TypesLock {
  if (!isObject(v) || v.version !== LOCK_VERSION || typeof v.levels !== 'number') return false;
  const e = v.embedded;
  if (!isObject(e) || !isStrings(e.pageKeys) || !isStrings(e.itemDrop)) return false;
  const sections = ['pageTypes', 'singlePages', 'collections', 'components', 'blog'];
  return sections.every((s) => Array.isArray(v[s]) && (v[s] as unknown[]).every(isEntity));
}

function isEntity(v: unknown): v is Entity {
  return (
    isObject(v) &&
    typeof v.key === 'string' &&
    typeof v.samples === 'number' &&
    (v.wrapper === undefined || typeof v.wrapper === 'string') &&
    isObjectShape(v.shape)
  );
}

function isObjectShape(v: unknown): v is ObjectShape {
  return (
    isObject(v) &&
    (v.name === undefined || typeof v.name === 'string') &&
    typeof v.samples === 'number' &&
    Array.isArray(v.props) &&
    v.props.every(
      (p) =>
        isObject(p) &&
        typeof p.key === 'string' &&
        typeof p.optional === 'boolean' &&
        isShape(p.shape),
    )
  );
}

function isShape(v: unknown): v is Shape {
  if (!isObject(v)) return false;
  const s = v.string;
  return (
    (v.null === undefined || v.null === true) &&
    (v.boolean === undefined || v.boolean === true) &&
    (v.number === undefined || v.number === 'integer' || v.number === 'number') &&
    (s === undefined ||
      (isObject(s) &&
        isStrings(s.kinds) &&
        typeof s.empty === 'boolean' &&
        (s.values === null || isStrings(s.values)) &&
        (s.count === undefined || typeof s.count === 'number'))) &&
    (v.emptyObject === undefined || v.emptyObject === true) &&
    (v.object === undefined || isObjectShape(v.object)) &&
    (v.array === undefined || isShape(v.array)) &&
    (v.component === undefined || isStrings(v.component)) &&
    (v.ref === undefined ||
      (isObject(v.ref) && isStrings(v.ref.pages) && isStrings(v.ref.collections)))
  );
}

/** The lock rebuilt with a fixed key order, so equal locks serialize to equal bytes. */
export function canonicalLock(lock: TypesLock): TypesLock {
  const entity = (e: Entity): Entity => ({
    key: e.key,
    ...(e.wrapper !== undefined ? { wrapper: e.wrapper } : {}),
    samples: e.samples,
    shape: object(e.shape),
  });
  const object = (o: ObjectShape): ObjectShape => ({
    ...(o.name !== undefined ? { name: o.name } : {}),
    samples: o.samples,
    props: o.props.map((p) => ({ key: p.key, optional: p.optional, shape: shape(p.shape) })),
  });
  const shape = (s: Shape): Shape => {
    const out: Shape = {};
    if (s.null) out.null = true;
    if (s.boolean) out.boolean = true;
    if (s.number) out.number = s.number;
    if (s.string) {
      const { kinds, empty, values } = s.string;
      out.string = { kinds, empty, values };
    }
    if (s.emptyObject) out.emptyObject = true;
    if (s.object) out.object = object(s.object);
    if (s.array) out.array = shape(s.array);
    if (s.component) out.component = s.component;
    if (s.ref) out.ref = { pages: s.ref.pages, collections: s.ref.collections };
    return out;
  };
  return {
    version: lock.version,
    levels: lock.levels,
    embedded: { pageKeys: lock.embedded.pageKeys, itemDrop: lock.embedded.itemDrop },
    pageTypes: byKey(lock.pageTypes).map(entity),
    singlePages: byKey(lock.singlePages).map(entity),
    collections: byKey(lock.collections).map(entity),
    components: byKey(lock.components).map(entity),
    blog: [...lock.blog].sort((a, b) => blogRank(a.key) - blogRank(b.key)).map(entity),
  };
}

const BLOG_ORDER = ['post', 'author', 'category', 'tag'];
const blogRank = (key: string) => {
  const i = BLOG_ORDER.indexOf(key);
  return i === -1 ? BLOG_ORDER.length : i;
};

function byKey(entities: Entity[]): Entity[] {
  return [...entities].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
