import type {
  Entity,
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
 * page), which `diff` reports as removed. The current `levels` wins.
 */
export function widenLock(previous: TypesLock | undefined, current: TypesLock): TypesLock {
  if (!previous) return current;
  return {
    version: current.version,
    levels: current.levels,
    embedded: current.embedded,
    pageTypes: mergeEntities(previous.pageTypes, current.pageTypes, false),
    singlePages: mergeEntities(previous.singlePages, current.singlePages, false),
    collections: mergeEntities(previous.collections, current.collections, false),
    // The component library only grows: a component unused today keeps its type.
    components: mergeEntities(previous.components, current.components, true),
    // So does the blog (an account whose blog is empty today keeps its blog types).
    blog: mergeEntities(previous.blog, current.blog, true),
  };
}

function mergeEntities(previous: Entity[], current: Entity[], keepMissing: boolean): Entity[] {
  const prev = new Map(previous.map((e) => [e.key, e]));
  const out: Entity[] = current.map((cur) => {
    const old = prev.get(cur.key);
    if (!old) return cur;
    const merged: Entity = {
      key: cur.key,
      samples: cur.samples,
      shape: mergeObject(old.shape, cur.shape),
    };
    const wrapper = old.wrapper ?? cur.wrapper;
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

export function mergeShape(a: Shape, b: Shape): Shape {
  const out: Shape = {};
  if (a.null || b.null) out.null = true;
  if (a.boolean || b.boolean) out.boolean = true;
  if (a.number || b.number) {
    out.number = a.number === 'number' || b.number === 'number' ? 'number' : 'integer';
  }
  if (a.string || b.string) out.string = mergeString(a.string, b.string);
  if (a.emptyObject || b.emptyObject) out.emptyObject = true;
  if (a.object && b.object) out.object = mergeObject(a.object, b.object);
  else if (a.object || b.object) out.object = (a.object ?? b.object)!;
  if (a.array && b.array) out.array = mergeShape(a.array, b.array);
  else if (a.array || b.array) out.array = (a.array ?? b.array)!;
  if (a.component || b.component) out.component = union(a.component, b.component);
  if (a.ref || b.ref) out.ref = mergeRef(a.ref, b.ref);
  return out;
}

function mergeString(a: StringShape | undefined, b: StringShape | undefined): StringShape {
  if (!a || !b) return (a ?? b)!;
  const values = a.values && b.values ? union(a.values, b.values) : null;
  return {
    kinds: union(a.kinds, b.kinds) as StringShape['kinds'],
    empty: a.empty || b.empty,
    values: values && values.length <= 10 ? values : null,
    count: b.count,
  };
}

function mergeRef(a: RefShape | undefined, b: RefShape | undefined): RefShape {
  return {
    pages: union(a?.pages, b?.pages),
    collections: union(a?.collections, b?.collections),
  };
}

/** `previous` is the lock's object, `current` the latest sync's: names and order come from the lock. */
export function mergeObject(previous: ObjectShape, current: ObjectShape): ObjectShape {
  // No samples today (a page type without pages): no evidence either way, keep the lock's.
  if (current.samples === 0) return { ...previous, samples: 0 };
  const cur = new Map(current.props.map((p) => [p.key, p]));
  const props: Prop[] = previous.props.map((old) => {
    const now = cur.get(old.key);
    if (!now) return { key: old.key, optional: true, shape: old.shape };
    return {
      key: old.key,
      optional: old.optional || now.optional,
      shape: mergeShape(old.shape, now.shape),
    };
  });
  const known = new Set(previous.props.map((p) => p.key));
  for (const now of current.props) {
    if (!known.has(now.key)) props.push(now);
  }
  const name = previous.name ?? current.name;
  return { ...(name !== undefined ? { name } : {}), samples: current.samples, props };
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}
