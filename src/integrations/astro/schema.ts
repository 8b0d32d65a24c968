/**
 * Astro content-collection schemas from the same inference as the generated TypeScript types
 * (`types.lock.json`): a lock `Shape` becomes a Zod schema. Pure; `z` is Astro's own
 * (`astro/zod`), passed in so this module imports neither astro nor zod.
 *
 * Objects stay open (`passthrough`) — the inference describes what was seen, and a schema
 * should not reject content the next sync is about to describe. References are `unknown`:
 * depending on `levels` they are URIs or embedded entities.
 */
import type { Entity, ObjectShape, Shape, TypesLock } from '../../core/codegen/model.ts';

export interface ZodType {
  optional(): ZodType;
  nullable(): ZodType;
}
interface ZodObject extends ZodType {
  passthrough?(): ZodType;
}
/** The part of Zod (v3 or v4) this module uses. */
export interface ZodLike {
  object(shape: Record<string, ZodType>): ZodObject;
  array(item: ZodType): ZodType;
  union(options: ZodType[]): ZodType;
  string(): ZodType;
  number(): ZodType & { int(): ZodType };
  boolean(): ZodType;
  null(): ZodType;
  unknown(): ZodType;
  literal(value: string): ZodType;
  lazy(get: () => ZodType): ZodType;
}

export type LoaderTarget =
  | { pageType: string }
  | { singlePage: string }
  | { collection: string }
  | { posts: true };

function open(z: ZodLike, shape: Record<string, ZodType>): ZodType {
  const object = z.object(shape);
  return object.passthrough ? object.passthrough() : object;
}

export function shapeSchema(
  z: ZodLike,
  shape: Shape,
  lock: TypesLock,
  seen = new Map<string, ZodType>(),
): ZodType {
  const options: ZodType[] = [];
  if (shape.boolean) options.push(z.boolean());
  if (shape.number) options.push(shape.number === 'integer' ? z.number().int() : z.number());
  if (shape.string) options.push(z.string());
  if (shape.ref) options.push(z.unknown());
  if (shape.object) options.push(objectSchema(z, shape.object, lock, seen));
  if (shape.emptyObject && !shape.object) options.push(open(z, {}));
  if (shape.array) options.push(z.array(shapeSchema(z, shape.array, lock, seen)));
  for (const type of shape.component ?? []) options.push(componentSchema(z, type, lock, seen));
  let schema =
    options.length === 0 ? z.unknown() : options.length === 1 ? options[0]! : z.union(options);
  if (shape.null && options.length > 0) schema = schema.nullable();
  return shape.null && options.length === 0 ? z.null() : schema;
}

export function objectSchema(
  z: ZodLike,
  shape: ObjectShape,
  lock: TypesLock,
  seen = new Map<string, ZodType>(),
): ZodType {
  const props: Record<string, ZodType> = {};
  for (const prop of shape.props) {
    const schema = shapeSchema(z, prop.shape, lock, seen);
    props[prop.key] = prop.optional ? schema.optional() : schema;
  }
  return open(z, props);
}

/** `{type, fields}` of a component picker entry; lazy, so components may nest themselves. */
function componentSchema(
  z: ZodLike,
  type: string,
  lock: TypesLock,
  seen: Map<string, ZodType>,
): ZodType {
  const known = seen.get(type);
  if (known) return known;
  const schema = z.lazy(() => {
    const entity = lock.components.find((c) => c.key === type);
    const fields = entity ? objectSchema(z, entity.shape, lock, seen) : z.unknown();
    return open(z, { type: z.literal(type), fields });
  });
  seen.set(type, schema);
  return schema;
}

function pageSchema(z: ZodLike, entity: Entity | undefined, lock: TypesLock): ZodType {
  return open(z, {
    slug: z.string(),
    name: z.string(),
    published: z.string().nullable(),
    updated: z.string().nullable(),
    page_type: z.string().nullable(),
    fields: entity ? objectSchema(z, entity.shape, lock) : z.unknown(),
  });
}

/** The schema of one loader's entries, or `undefined` when the lock does not know the target. */
export function schemaFor(z: ZodLike, lock: TypesLock, target: LoaderTarget): ZodType | undefined {
  const find = (list: Entity[], key: string) => list.find((e) => e.key === key);
  if ('pageType' in target) {
    const entity = find(lock.pageTypes, target.pageType);
    return entity ? pageSchema(z, entity, lock) : undefined;
  }
  if ('singlePage' in target) {
    const entity = find(lock.singlePages, target.singlePage);
    return entity ? pageSchema(z, entity, lock) : undefined;
  }
  if ('collection' in target) {
    const entity = find(lock.collections, target.collection);
    return entity ? objectSchema(z, entity.shape, lock) : undefined;
  }
  const post = find(lock.blog, 'post');
  return post ? objectSchema(z, post.shape, lock) : undefined;
}
