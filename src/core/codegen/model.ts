/**
 * The inferred schema, as saved in `types.lock.json` beside the snapshot. It is plain JSON
 * (keyed things are arrays of entries, so no content key can collide with an object's own
 * properties such as `__proto__`) and it is the single input of the TypeScript emitter.
 *
 * A `Shape` is the union of everything seen at one place in the content; an empty shape
 * (`{}`) means nothing was seen there (the items of arrays that were always empty) and is
 * emitted as `unknown`.
 */

/** How a non-empty string value reads. */
export type StringKind = 'date' | 'html' | 'media' | 'text';

export interface StringShape {
  /** Kinds of the non-empty values seen, sorted. */
  kinds: StringKind[];
  /** `""` was seen. */
  empty: boolean;
  /**
   * Distinct short `text` values, sorted — a literal union (dropdowns). In the lock, only a
   * closed vocabulary (see `mergeString`); `null` for free text. In a fresh inference, every
   * distinct value while they could still be a dropdown's.
   */
  values: string[] | null;
  /**
   * Non-empty values seen in the latest sync: the evidence for `values`, in a fresh inference.
   * Not kept in the lock, where it would move with every edit (locks written before carry it).
   */
  count?: number;
}

/** Reference URIs seen: targets by page type slug (`*` = single pages) and collection key. */
export interface RefShape {
  pages: string[];
  collections: string[];
}

export interface Prop {
  key: string;
  optional: boolean;
  shape: Shape;
}

export interface ObjectShape {
  /** Name of the emitted interface (assigned once, kept across syncs). */
  name?: string;
  /** Objects seen here in the latest sync. */
  samples: number;
  /** In order of first appearance. */
  props: Prop[];
}

export interface Shape {
  null?: true;
  boolean?: true;
  number?: 'integer' | 'number';
  string?: StringShape;
  /** `{}` (an unset one-to-one reference, or an empty object). */
  emptyObject?: true;
  object?: ObjectShape;
  /** Element shape of the arrays seen here (an empty shape when every array was empty). */
  array?: Shape;
  /** Component instances (`{type, fields}` in a component picker) by component type, sorted. */
  component?: string[];
  ref?: RefShape;
}

export type EntitySection = 'pageTypes' | 'singlePages' | 'collections' | 'components' | 'blog';

export interface Entity {
  /** Page type slug, single page slug, collection key, component type or blog type. */
  key: string;
  /** Samples in the latest sync (0 when it is only kept by the lock). */
  samples: number;
  /**
   * The fields of a page, the item of a collection (with `meta`), the `fields` of a component,
   * or a blog object.
   */
  shape: ObjectShape;
  /** Components only: name of the `{type, fields}` wrapper interface. */
  wrapper?: string;
}

export const LOCK_VERSION = 1;

export interface EmbeddedShape {
  /** Keys of an embedded page, in order. */
  pageKeys: string[];
  /** Keys of a stored collection item that an embedded item leaves out. */
  itemDrop: string[];
}

export interface TypesLock {
  version: typeof LOCK_VERSION;
  /** Reference depth the snapshot was synced at (references are embedded below it). */
  levels: number;
  /** How the API embeds references (learned from the sync's probes, as the reader does). */
  embedded: EmbeddedShape;
  pageTypes: Entity[];
  singlePages: Entity[];
  collections: Entity[];
  components: Entity[];
  /** Keys `post`, `author`, `category`, `tag`. */
  blog: Entity[];
}

export type TypeChangeKind = 'added' | 'widened' | 'narrowed' | 'removed';

export interface TypeChange {
  kind: TypeChangeKind;
  /** Whether code written against the previous types may stop compiling. */
  breaking: boolean;
  /** `page type landing-page`, `component hero`, `collection faq`, `blog post`, … */
  entity: string;
  /** Field path inside the entity (`seo.title`, `body[]`), `''` for the entity itself. */
  path: string;
  /** Short human description (`string → string | null`). */
  detail: string;
}

export const ENTITY_LABEL: Record<EntitySection, string> = {
  pageTypes: 'page type',
  singlePages: 'single page',
  collections: 'collection',
  components: 'component',
  blog: 'blog',
};
