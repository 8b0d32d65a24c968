import { closedVocabulary, ENUM_CAP, vocabularyKey } from './infer/values.ts';
import type {
  Entity,
  EntitySection,
  ObjectShape,
  Prop,
  RefShape,
  Shape,
  StringShape,
  TypesLock,
} from './model.ts';

/**
 * The lock after a sync: the previous lock widened by what the content shows now. Nothing the
 * previous lock knew disappears — a field missing from every entry today stays, optional —
 * except entities the sync no longer covers (a page type no longer synced, a deleted single
 * page), which `diff` reports as removed. The current `levels` wins. Without a previous lock,
 * the current one settled (see `mergeString`).
 */
export function widenLock(previous: TypesLock | undefined, current: TypesLock): TypesLock {
  const section = (name: EntitySection, keepMissing: boolean) =>
    mergeEntities(previous?.[name] ?? [], current[name], keepMissing, name === 'blog');
  return {
    version: current.version,
    levels: current.levels,
    embedded: current.embedded,
    pageTypes: section('pageTypes', false),
    singlePages: section('singlePages', false),
    collections: section('collections', false),
    // The component library only grows: a component unused today keeps its type.
    components: section('components', true),
    // So does the blog (an account whose blog is empty today keeps its blog types).
    blog: section('blog', true),
  };
}

function mergeEntities(
  previous: Entity[],
  current: Entity[],
  keepMissing: boolean,
  blog: boolean,
): Entity[] {
  const prev = new Map(previous.map((e) => [e.key, e]));
  const out: Entity[] = current.map((cur) => {
    const old = prev.get(cur.key);
    const merged: Entity = {
      key: cur.key,
      samples: cur.samples,
      shape: mergeObject(old?.shape, cur.shape, blog),
    };
    const wrapper = old?.wrapper ?? cur.wrapper;
    if (wrapper !== undefined) merged.wrapper = wrapper;
    return merged;
  });
  if (keepMissing) {
    const seen = new Set(current.map((e) => e.key));
    // Order is restored by `canonicalLock`.
    for (const old of previous) if (!seen.has(old.key)) out.push({ ...old, samples: 0 });
  }
  return out;
}

/**
 * `previous` is the lock's shape at a place, `current` the latest sync's (either may be
 * missing); `vocabulary`: whether values there may be a dropdown's choices (by key).
 */
function mergeShape(
  previous: Shape | undefined,
  current: Shape | undefined,
  vocabulary: boolean,
  blog: boolean,
): Shape {
  const a = previous ?? {};
  const b = current ?? {};
  const out: Shape = {};
  if (a.null || b.null) out.null = true;
  if (a.boolean || b.boolean) out.boolean = true;
  if (a.number || b.number) {
    out.number = a.number === 'number' || b.number === 'number' ? 'number' : 'integer';
  }
  if (a.string || b.string) out.string = mergeString(a.string, b.string, vocabulary);
  if (a.emptyObject || b.emptyObject) out.emptyObject = true;
  if (a.object || b.object) out.object = mergeObject(a.object, b.object, blog);
  if (a.array || b.array) out.array = mergeShape(a.array, b.array, vocabulary, blog);
  if (a.component || b.component) out.component = union(a.component, b.component);
  if (a.ref || b.ref) out.ref = mergeRef(a.ref, b.ref);
  return out;
}

/**
 * The string shape at a place. Its `values` — the choices of a dropdown, typed as literals —
 * hold only a closed vocabulary: a new one needs the evidence of today's content
 * (`closedVocabulary`: `b.count`); a known one gains the choices seen today; a value no
 * dropdown has (prose, too long) or too many choices turn it into free text. The lock keeps no
 * count, and no values for free text: editing free text leaves the lock as it was. (A lock that
 * still has counts was written before values were judged here: its values are judged again.)
 */
function mergeString(
  a: StringShape | undefined,
  b: StringShape | undefined,
  vocabulary: boolean,
): StringShape {
  const known = a && lockValues(a);
  if (!b) return { kinds: a!.kinds, empty: a!.empty, values: known ?? null };
  const kinds = union(a?.kinds, b.kinds) as StringShape['kinds'];
  const empty = Boolean(a?.empty || b.empty);
  let values: string[] | null = null;
  if (vocabulary && b.values !== null && kinds.length === 1 && kinds[0] === 'text') {
    if (known) values = union(known, b.values);
    else if (b.count !== undefined && closedVocabulary(b.values, b.count)) values = b.values;
  }
  if (values !== null && values.length > ENUM_CAP) values = null;
  return { kinds, empty, values };
}

/** A lock's values: a closed vocabulary, or `null` (see `mergeString`). */
function lockValues(s: StringShape): string[] | null {
  if (s.values === null || s.count === undefined) return s.values;
  return closedVocabulary(s.values, s.count) ? s.values : null;
}

function mergeRef(a: RefShape | undefined, b: RefShape | undefined): RefShape {
  return {
    pages: union(a?.pages, b?.pages),
    collections: union(a?.collections, b?.collections),
  };
}

/**
 * `previous` is the lock's object, `current` the latest sync's: names and order come from the
 * lock. `blog`: the object is (in) one of the blog's, whose only dropdown is `status`.
 */
function mergeObject(
  previous: ObjectShape | undefined,
  current: ObjectShape | undefined,
  blog: boolean,
): ObjectShape {
  if (!current) return previous!;
  const base = previous ?? { samples: 0, props: [] };
  // No samples today (a page type without pages): no evidence either way, keep the lock's.
  if (previous && current.samples === 0) return { ...previous, samples: 0 };
  const cur = new Map(current.props.map((p) => [p.key, p]));
  const props: Prop[] = base.props.map((old) => {
    const now = cur.get(old.key);
    if (!now) return { key: old.key, optional: true, shape: old.shape };
    return {
      key: old.key,
      optional: old.optional || now.optional,
      shape: mergeShape(old.shape, now.shape, vocabularyKey(old.key, blog), blog),
    };
  });
  const known = new Set(base.props.map((p) => p.key));
  for (const now of current.props) {
    if (known.has(now.key)) continue;
    const shape = mergeShape(undefined, now.shape, vocabularyKey(now.key, blog), blog);
    props.push({ key: now.key, optional: now.optional, shape });
  }
  const name = previous?.name ?? current.name;
  return { ...(name !== undefined ? { name } : {}), samples: current.samples, props };
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}
