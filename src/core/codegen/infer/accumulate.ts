import type { Json, JsonObject } from '../../model/content.ts';
import { isObject } from '../../model/json.ts';
import { type ContentPaths, pathKey, type ValuePath } from '../../model/media-paths.ts';
import type { StringKind } from '../model.ts';
import { ENUM_CAP, enumCandidate, mediaObjectUrl, refTarget, stringKind } from './values.ts';

/** Mutable union of everything seen at one place (finalized into a `Shape`). */
export interface Acc {
  null: boolean;
  boolean: boolean;
  /** 0: none seen, 1: only integers, 2: some non-integer. */
  number: 0 | 1 | 2;
  string: StrAcc | null;
  emptyObject: boolean;
  object: ObjAcc | null;
  array: Acc | null;
  component: Set<string> | null;
  ref: { pages: Set<string>; collections: Set<string> } | null;
}

export interface StrAcc {
  kinds: Set<StringKind>;
  empty: boolean;
  values: Set<string> | null;
  count: number;
}

export interface ObjAcc {
  samples: number;
  props: Map<string, { count: number; acc: Acc }>;
}

/**
 * Everything a walk needs besides the value: media hosts, the shared component library, and
 * where in which entity it is (so `{url, alt}`-shaped content is not taken for media).
 */
export interface InferContext {
  mediaHosts: ReadonlySet<string>;
  /** Component `fields` by component type, shared by every page type, collection and component. */
  components: Map<string, ObjAcc>;
  /** The `NotMedia` paths of the listing whose entity is walked. */
  notMedia: ContentPaths;
  /** Where the walk is inside that entity (pushed and popped as it goes). */
  path: ValuePath;
}

export function newAcc(): Acc {
  return {
    null: false,
    boolean: false,
    number: 0,
    string: null,
    emptyObject: false,
    object: null,
    array: null,
    component: null,
    ref: null,
  };
}

export function newObjAcc(): ObjAcc {
  return { samples: 0, props: new Map() };
}

/** `{type: "<name>", fields: {…}}`: one entry of a component picker. */
function componentType(value: JsonObject): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 2 || !('type' in value) || !('fields' in value)) return undefined;
  const { type, fields } = value;
  return typeof type === 'string' && type !== '' && isObject(fields) ? type : undefined;
}

/** Adds one sample value to the union at `acc`. */
export function addValue(acc: Acc, value: Json, ctx: InferContext): void {
  if (value === null) {
    acc.null = true;
  } else if (typeof value === 'boolean') {
    acc.boolean = true;
  } else if (typeof value === 'number') {
    acc.number = Number.isInteger(value) ? (Math.max(acc.number, 1) as 1 | 2) : 2;
  } else if (typeof value === 'string') {
    addString(acc, value, ctx, false);
  } else if (Array.isArray(value)) {
    acc.array ??= newAcc();
    ctx.path.push(0);
    for (const item of value) addValue(acc.array, item, ctx);
    ctx.path.pop();
  } else {
    addObject(acc, value, ctx);
  }
}

function addString(acc: Acc, value: string, ctx: InferContext, media: boolean): void {
  if (!media && value !== '') {
    const target = refTarget(value);
    if (target) {
      acc.ref ??= { pages: new Set(), collections: new Set() };
      (target.kind === 'page' ? acc.ref.pages : acc.ref.collections).add(target.target);
      return;
    }
  }
  acc.string ??= { kinds: new Set(), empty: false, values: new Set(), count: 0 };
  const str = acc.string;
  if (value === '') {
    str.empty = true;
    return;
  }
  const kind = media ? 'media' : stringKind(value, ctx.mediaHosts);
  str.kinds.add(kind);
  str.count++;
  if (str.values) {
    if (kind !== 'text' || !enumCandidate(value)) str.values = null;
    else {
      str.values.add(value);
      if (str.values.size > ENUM_CAP) str.values = null;
    }
  }
}

function addObject(acc: Acc, value: JsonObject, ctx: InferContext): void {
  const keys = Object.keys(value);
  if (keys.length === 0) {
    acc.emptyObject = true;
    return;
  }
  const content = ctx.notMedia.size > 0 && ctx.notMedia.has(pathKey(ctx.path));
  const url = content ? undefined : mediaObjectUrl(value);
  if (url !== undefined) {
    addString(acc, url, ctx, true);
    return;
  }
  const type = componentType(value);
  if (type !== undefined) {
    acc.component ??= new Set();
    acc.component.add(type);
    let fields = ctx.components.get(type);
    if (!fields) {
      fields = newObjAcc();
      ctx.components.set(type, fields);
    }
    ctx.path.push('fields');
    addFields(fields, value.fields as JsonObject, ctx);
    ctx.path.pop();
    return;
  }
  acc.object ??= newObjAcc();
  addFields(acc.object, value, ctx);
}

/** Adds one object sample: every key counts towards its property's presence. */
export function addFields(obj: ObjAcc, value: JsonObject, ctx: InferContext): void {
  obj.samples++;
  for (const key of Object.keys(value)) {
    let prop = obj.props.get(key);
    if (!prop) {
      prop = { count: 0, acc: newAcc() };
      obj.props.set(key, prop);
    }
    prop.count++;
    ctx.path.push(key);
    addValue(prop.acc, value[key] as Json, ctx);
    ctx.path.pop();
  }
}
