import type { Entity, EntitySection, ObjectShape, Shape, TypesLock } from './model.ts';

/** Names the fixed part of the generated file declares (see `templates/types.ts`). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'ButterMedia',
  'ButterDateTime',
  'ButterHtml',
  'ButterPageUri',
  'ButterItemUri',
  'ButterEmpty',
  'ButterItemMeta',
  'ButterEmbeddedPage',
  'ButterGeneratedRoot',
]);

/**
 * `landing-page` → `LandingPage`, `two_column_with_image` → `TwoColumnWithImage`,
 * `café` → `Cafe`, `404` → `T404`. Letters after digits are upper-cased (`2col` → `2Col`) so
 * the result is also what json-schema-to-typescript makes of it.
 */
export function pascalCase(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  let name = words
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
    .replace(/(\d)([a-z])/g, (_, d: string, l: string) => d + l.toUpperCase());
  if (name === '') name = 'Unnamed';
  if (/^\d/.test(name)) name = `T${name}`;
  return name;
}

/** Base names of entities (their nested interfaces are named after them). */
export function entityBase(
  section: EntitySection,
  key: string,
): {
  name: string;
  wrapper?: string;
} {
  const base = pascalCase(key);
  switch (section) {
    case 'pageTypes':
    case 'singlePages':
      return { name: `${base}Fields` };
    case 'collections':
      return { name: `${base}Item` };
    case 'components':
      return { name: `${base}ComponentFields`, wrapper: `${base}Component` };
    case 'blog':
      return { name: `Blog${base}` };
  }
}

const SECTIONS = ['pageTypes', 'singlePages', 'collections', 'components', 'blog'] as const;

/**
 * Gives every entity and nested object a name, keeping the names the lock already has.
 * Deterministic: new names are handed out in lock order, collisions get the lowest free
 * numeric suffix. Returns a new lock.
 */
export function assignNames(lock: TypesLock): TypesLock {
  const out = structuredClone(lock);
  const used = new Set<string>(RESERVED_NAMES);
  const claim = (name: string | undefined): string | undefined => {
    if (name === undefined || used.has(name) || !/^[A-Z][A-Za-z0-9]*$/.test(name)) return undefined;
    used.add(name);
    return name;
  };
  const fresh = (wanted: string): string => {
    let name = wanted;
    for (let i = 2; used.has(name); i++) name = `${wanted}${i}`;
    used.add(name);
    return name;
  };
  // First keep every valid, unique name the lock already has…
  for (const section of SECTIONS) {
    for (const entity of out[section]) {
      if (entity.wrapper !== undefined && claim(entity.wrapper) === undefined) {
        delete entity.wrapper;
      }
      visitObjects(entity.shape, (obj) => {
        if (obj.name !== undefined && claim(obj.name) === undefined) delete obj.name;
      });
    }
  }
  // …then name what is new.
  for (const section of SECTIONS) {
    for (const entity of out[section]) {
      const base = entityBase(section, entity.key);
      if (base.wrapper !== undefined) entity.wrapper ??= fresh(base.wrapper);
      entity.shape.name ??= fresh(base.name);
      nameNested(entity, fresh);
    }
  }
  return out;
}

function nameNested(entity: Entity, fresh: (wanted: string) => string): void {
  const walkShape = (shape: Shape, base: string): void => {
    if (shape.object) {
      shape.object.name ??= fresh(base);
      walkObject(shape.object);
    }
    if (shape.array) walkShape(shape.array, `${base}Item`);
  };
  const walkObject = (obj: ObjectShape): void => {
    const base = obj.name!.replace(/Fields$/, '');
    for (const prop of obj.props) walkShape(prop.shape, base + pascalCase(prop.key));
  };
  walkObject(entity.shape);
}

/** Calls `fn` on every object shape inside `obj`, `obj` included (pre-order). */
export function visitObjects(obj: ObjectShape, fn: (obj: ObjectShape) => void): void {
  fn(obj);
  const walk = (shape: Shape): void => {
    if (shape.object) visitObjects(shape.object, fn);
    if (shape.array) walk(shape.array);
  };
  for (const prop of obj.props) walk(prop.shape);
}
