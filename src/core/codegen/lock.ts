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

type Unknown = { [key: string]: unknown };
const isRecord = (v: unknown): v is Unknown =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

function isLock(v: unknown): v is TypesLock {
  if (!isRecord(v) || v.version !== LOCK_VERSION || typeof v.levels !== 'number') return false;
  const e = v.embedded;
  if (!isRecord(e) || !isStrings(e.pageKeys) || !isStrings(e.itemDrop)) return false;
  const sections = ['pageTypes', 'singlePages', 'collections', 'components', 'blog'];
  return sections.every((s) => Array.isArray(v[s]) && (v[s] as unknown[]).every(isEntity));
}

function isEntity(v: unknown): v is Entity {
  return (
    isRecord(v) &&
    typeof v.key === 'string' &&
    typeof v.samples === 'number' &&
    (v.wrapper === undefined || typeof v.wrapper === 'string') &&
    isObjectShape(v.shape)
  );
}

function isObjectShape(v: unknown): v is ObjectShape {
  return (
    isRecord(v) &&
    (v.name === undefined || typeof v.name === 'string') &&
    typeof v.samples === 'number' &&
    Array.isArray(v.props) &&
    v.props.every(
      (p) =>
        isRecord(p) &&
        typeof p.key === 'string' &&
        typeof p.optional === 'boolean' &&
        isShape(p.shape),
    )
  );
}

function isShape(v: unknown): v is Shape {
  if (!isRecord(v)) return false;
  const s = v.string;
  return (
    (v.null === undefined || v.null === true) &&
    (v.boolean === undefined || v.boolean === true) &&
    (v.number === undefined || v.number === 'integer' || v.number === 'number') &&
    (s === undefined ||
      (isRecord(s) &&
        isStrings(s.kinds) &&
        typeof s.empty === 'boolean' &&
        (s.values === null || isStrings(s.values)) &&
        typeof s.count === 'number')) &&
    (v.emptyObject === undefined || v.emptyObject === true) &&
    (v.object === undefined || isObjectShape(v.object)) &&
    (v.array === undefined || isShape(v.array)) &&
    (v.component === undefined || isStrings(v.component)) &&
    (v.ref === undefined ||
      (isRecord(v.ref) && isStrings(v.ref.pages) && isStrings(v.ref.collections)))
  );
}
