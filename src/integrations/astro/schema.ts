/**
 * Astro content-collection schemas from the same inference as the generated TypeScript types
 * (`types.lock.json`): a lock `Shape` becomes a Zod schema. Pure; `z` is Astro's own
 * (`astro/zod`), passed in so this module imports neither astro nor zod.
 *
 * Objects stay open (`passthrough`) — the inference describes what was seen, and a schema
 * should not reject content the next sync is about to describe. References are `unknown`:
 * depending on `levels` they are URIs or embedded entities. Media fields get the `media` schema
 * when one is given (the loader's: downloaded images become Astro images).
 */
import type { Entity, ObjectShape, Shape, TypesLock } from '../../core/codegen/model.ts';

export interface ZodType {
  optional(): ZodType;
  nullable(): ZodType;
}
/** A Zod string schema (what `transform` is called on). */
export interface ZodString extends ZodType {
  transform(fn: (value: string) => unknown): ZodType;
}
interface ZodObject extends ZodType {
  passthrough?(): ZodType;
}
/** The part of Zod (v3 or v4) this module uses. */
export interface ZodLike {
  object(shape: Record<string, ZodType>): ZodObject;
  array(item: ZodType): ZodType;
  union(options: ZodType[]): ZodType;
  string(): ZodString;
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

/** What the schema builders share: Zod, the lock, the media schema, the components built. */
interface Context {
  z: ZodLike;
  lock: TypesLock;
  /** The schema of media strings (default: a string). */
  media: ZodType | undefined;
  components: Map<string, ZodType>;
}

function open(z: ZodLike, shape: Record<string, ZodType>): ZodType {
  const object = z.object(shape);
  return object.passthrough ? object.passthrough() : object;
}

const isMedia = (shape: Shape) =>
  shape.string?.kinds.length === 1 && shape.string.kinds[0] === 'media';

function shapeSchema(ctx: Context, shape: Shape): ZodType {
  const { z } = ctx;
  const options: ZodType[] = [];
  if (shape.boolean) options.push(z.boolean());
  if (shape.number) options.push(shape.number === 'integer' ? z.number().int() : z.number());
  if (shape.string) options.push(ctx.media && isMedia(shape) ? ctx.media : z.string());
  if (shape.ref) options.push(z.unknown());
  if (shape.object) options.push(objectSchema(ctx, shape.object));
  if (shape.emptyObject && !shape.object) options.push(open(z, {}));
  if (shape.array) options.push(z.array(shapeSchema(ctx, shape.array)));
  for (const type of shape.component ?? []) options.push(componentSchema(ctx, type));
  let schema =
    options.length === 0 ? z.unknown() : options.length === 1 ? options[0]! : z.union(options);
  if (shape.null && options.length > 0) schema = schema.nullable();
  return shape.null && options.length === 0 ? z.null() : schema;
}

function objectSchema(ctx: Context, shape: ObjectShape): ZodType {
  const props: Record<string, ZodType> = {};
  for (const prop of shape.props) {
    const schema = shapeSchema(ctx, prop.shape);
    props[prop.key] = prop.optional ? schema.optional() : schema;
  }
  return open(ctx.z, props);
}

/** `{type, fields}` of a component picker entry; lazy, so components may nest themselves. */
function componentSchema(ctx: Context, type: string): ZodType {
  const known = ctx.components.get(type);
  if (known) return known;
  const { z, lock } = ctx;
  const schema = z.lazy(() => {
    const entity = lock.components.find((c) => c.key === type);
    const fields = entity ? objectSchema(ctx, entity.shape) : z.unknown();
    return open(z, { type: z.literal(type), fields });
  });
  ctx.components.set(type, schema);
  return schema;
}

function pageSchema(ctx: Context, entity: Entity | undefined): ZodType {
  const { z } = ctx;
  return open(z, {
    slug: z.string(),
    name: z.string(),
    published: z.string().nullable(),
    updated: z.string().nullable(),
    page_type: z.string().nullable(),
    fields: entity ? objectSchema(ctx, entity.shape) : z.unknown(),
  });
}

/** The schema of one loader's entries, or `undefined` when the lock does not know the target. */
export function schemaFor(
  z: ZodLike,
  lock: TypesLock,
  target: LoaderTarget,
  media?: ZodType,
): ZodType | undefined {
  const ctx: Context = { z, lock, media, components: new Map() };
  const find = (list: Entity[], key: string) => list.find((e) => e.key === key);
  if ('pageType' in target) {
    const entity = find(lock.pageTypes, target.pageType);
    return entity ? pageSchema(ctx, entity) : undefined;
  }
  if ('singlePage' in target) {
    const entity = find(lock.singlePages, target.singlePage);
    return entity ? pageSchema(ctx, entity) : undefined;
  }
  if ('collection' in target) {
    const entity = find(lock.collections, target.collection);
    return entity ? objectSchema(ctx, entity.shape) : undefined;
  }
  const post = find(lock.blog, 'post');
  return post ? objectSchema(ctx, post.shape) : undefined;
}
