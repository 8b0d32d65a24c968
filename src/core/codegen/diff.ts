import { plural } from '../toolkit/format.ts';
import {
  ENTITY_LABEL,
  type ObjectShape,
  type Shape,
  type TypeChange,
  type TypesLock,
} from './model.ts';

type Section = keyof typeof ENTITY_LABEL;
const SECTIONS = Object.keys(ENTITY_LABEL) as Section[];

/**
 * What changed in the types from `previous` to `next` (both named locks): entities and fields
 * added or removed, fields that became optional or required, types that gained or lost
 * members. Removed and narrowed changes are `breaking`.
 */
export function diffLocks(previous: TypesLock | undefined, next: TypesLock): TypeChange[] {
  const changes: TypeChange[] = [];
  for (const section of SECTIONS) {
    const label = ENTITY_LABEL[section];
    const before = new Map((previous?.[section] ?? []).map((e) => [e.key, e]));
    const after = new Map(next[section].map((e) => [e.key, e]));
    for (const [key, entity] of after) {
      const name = `${label} ${key}`;
      const old = before.get(key);
      if (!old) {
        const detail = `${entity.shape.name ?? ''} (${plural(entity.samples, 'sample')})`;
        changes.push({ kind: 'added', breaking: false, entity: name, path: '', detail });
      } else {
        const ctx = { changes, entity: name, before: previous!.levels, after: next.levels };
        compareObject(ctx, old.shape, entity.shape, '');
      }
    }
    for (const [key, old] of before) {
      if (after.has(key)) continue;
      changes.push({
        kind: 'removed',
        breaking: true,
        entity: `${label} ${key}`,
        path: '',
        detail: `${old.shape.name ?? ''} is no longer in the snapshot`,
      });
    }
  }
  return changes;
}

interface DiffContext {
  changes: TypeChange[];
  entity: string;
  before: number;
  after: number;
}

function compareObject(ctx: DiffContext, a: ObjectShape, b: ObjectShape, path: string): void {
  const after = new Map(b.props.map((p) => [p.key, p]));
  const before = new Map(a.props.map((p) => [p.key, p]));
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  const push = (change: Omit<TypeChange, 'entity'>) =>
    ctx.changes.push({ ...change, entity: ctx.entity });
  for (const prop of b.props) {
    const old = before.get(prop.key);
    if (!old) {
      const detail = `${prop.optional ? 'optional ' : ''}${describe(prop.shape, ctx.after)}`;
      push({ kind: 'added', breaking: false, path: at(prop.key), detail });
      continue;
    }
    if (old.optional !== prop.optional) {
      push(
        prop.optional
          ? { kind: 'widened', breaking: false, path: at(prop.key), detail: 'now optional' }
          : { kind: 'narrowed', breaking: true, path: at(prop.key), detail: 'now required' },
      );
    }
    compareShape(ctx, old.shape, prop.shape, at(prop.key));
  }
  for (const old of a.props) {
    if (after.has(old.key)) continue;
    push({
      kind: 'removed',
      breaking: true,
      path: at(old.key),
      detail: describe(old.shape, ctx.before),
    });
  }
}

function compareShape(ctx: DiffContext, a: Shape, b: Shape, path: string): void {
  const was = describe(a, ctx.before);
  const now = describe(b, ctx.after);
  if (was !== now) {
    const narrowed = lost(a, b, ctx);
    ctx.changes.push({
      kind: narrowed ? 'narrowed' : 'widened',
      breaking: narrowed,
      entity: ctx.entity,
      path,
      detail: `${was} → ${now}`,
    });
  }
  if (a.object && b.object) compareObject(ctx, a.object, b.object, path);
  if (a.array && b.array) compareShape(ctx, a.array, b.array, `${path}[]`);
}

/** Whether `b` lacks something `a` allowed. */
function lost(a: Shape, b: Shape, ctx: DiffContext): boolean {
  const flags = ['null', 'boolean', 'number', 'string', 'emptyObject', 'object', 'array'] as const;
  if (flags.some((f) => a[f] !== undefined && b[f] === undefined)) return true;
  if (a.number === 'number' && b.number === 'integer') return true;
  if (a.string && b.string && a.string.kinds.length > 0 && b.string.kinds.length === 0) return true;
  const missing = (x: string[] | undefined, y: string[] | undefined) =>
    (x ?? []).some((v) => !(y ?? []).includes(v));
  if (missing(a.component, b.component)) return true;
  if (a.ref && !b.ref) return true;
  if (a.ref && b.ref) {
    if (missing(a.ref.pages, b.ref.pages) || missing(a.ref.collections, b.ref.collections)) {
      return true;
    }
    if (ctx.before >= 2 && ctx.after < 2) return true;
  }
  return false;
}

/** A short TypeScript-like rendering of one shape (named objects by name), for messages. */
export function describe(shape: Shape, levels: number): string {
  const parts: string[] = [];
  const otherThanString =
    shape.null || shape.boolean || shape.number || shape.emptyObject || shape.object;
  if (shape.string) {
    const s = shape.string;
    if (s.kinds.length > 0 || !(otherThanString || shape.array || shape.component || shape.ref)) {
      parts.push(s.kinds.length === 1 && s.kinds[0] !== 'text' ? s.kinds[0]! : 'string');
    } else parts.push("''");
  }
  if (shape.number) parts.push(shape.number === 'integer' ? 'integer' : 'number');
  if (shape.boolean) parts.push('boolean');
  if (shape.object) parts.push(shape.object.name ?? '{…}');
  if (shape.component) parts.push(...shape.component.map((c) => `component ${c}`));
  if (shape.ref) {
    const targets = [...shape.ref.pages.map((p) => `page ${p}`), ...shape.ref.collections];
    const what = levels >= 2 ? 'reference' : 'reference URI';
    parts.push(...targets.map((t) => `${what} ${t}`));
  }
  if (shape.array) {
    const items = describe(shape.array, levels);
    parts.push(items.includes(' ') || items.includes('|') ? `(${items})[]` : `${items}[]`);
  }
  if (shape.emptyObject) parts.push('{}');
  if (shape.null) parts.push('null');
  return parts.length > 0 ? parts.join(' | ') : 'unknown';
}

/** Lines for the sync summary: `+ page type landing-page: seo.title (string)`. */
export function formatTypeChanges(changes: readonly TypeChange[]): string[] {
  const sign = { added: '+', widened: '~', narrowed: '!', removed: '-' } as const;
  return changes.map((c) => {
    const where = c.path === '' ? c.entity : `${c.entity}: ${c.path}`;
    const tag = c.breaking ? ' [breaking]' : '';
    return `${sign[c.kind]} ${where} ${c.kind}${c.detail ? ` (${c.detail})` : ''}${tag}`;
  });
}

/** One line for the sync summary: `types: 2 added · 1 widened · 1 removed (1 breaking)`. */
export function describeTypeChanges(changes: readonly TypeChange[]): string {
  if (changes.length === 0) return 'types: unchanged';
  const kinds = ['added', 'widened', 'narrowed', 'removed'] as const;
  const counts = kinds
    .map((kind) => [kind, changes.filter((c) => c.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  const breaking = changes.filter((c) => c.breaking).length;
  return `types: ${counts.join(' · ')}${breaking > 0 ? ` (${breaking} breaking)` : ''}`;
}
