import type { JSONSchema4 } from 'json-schema';
import { parseRef } from '../../src/core/model/refs.ts';

type Defs = { [name: string]: JSONSchema4 };

const isObject = (v: unknown): v is { [key: string]: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A small validator for the JSON Schema the emitter hands to json-schema-to-typescript,
 * including our `tsType` names (checked by what they stand for). Returns the first problem,
 * or `undefined` when `value` is valid.
 */
export function validate(
  value: unknown,
  schema: JSONSchema4,
  defs: Defs,
  path = '$',
): string | undefined {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/definitions/', '');
    const def = defs[name];
    if (!def) return `${path}: unknown $ref ${name}`;
    return validate(value, def, defs, path);
  }
  if (schema.anyOf) {
    const problems = schema.anyOf.map((s) => validate(value, s, defs, path));
    return problems.every((p) => p !== undefined) ? problems.join(' / ') : undefined;
  }
  if (schema.tsType !== undefined) return tsType(value, schema.tsType as string, defs, path);
  if ('const' in schema)
    return value === schema.const ? undefined : `${path}: not ${JSON.stringify(schema.const)}`;
  switch (schema.type) {
    case undefined:
      return undefined;
    case 'null':
      return value === null ? undefined : `${path}: not null`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path}: not a boolean`;
    case 'integer':
    case 'number':
      return typeof value === 'number' ? undefined : `${path}: not a number`;
    case 'string':
      return typeof value === 'string' ? undefined : `${path}: not a string`;
    case 'array': {
      if (!Array.isArray(value)) return `${path}: not an array`;
      for (const [i, item] of value.entries()) {
        const problem = validate(item, (schema.items ?? {}) as JSONSchema4, defs, `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object': {
      if (!isObject(value)) return `${path}: not an object`;
      const props = schema.properties ?? {};
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (!Object.hasOwn(value, key)) return `${path}: missing ${key}`;
      }
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(props, key)) {
          if (schema.additionalProperties === false) return `${path}: unexpected ${key}`;
          continue;
        }
        const problem = validate(value[key], props[key]!, defs, `${path}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return `${path}: unsupported schema type ${String(schema.type)}`;
  }
}

function tsType(value: unknown, type: string, defs: Defs, path: string): string | undefined {
  const fail = `${path}: not ${type}`;
  switch (type) {
    case 'ButterMedia':
    case 'ButterDateTime':
    case 'ButterHtml':
    case '(string & {})':
      return typeof value === 'string' ? undefined : fail;
    case 'ButterEmpty':
      return isObject(value) && Object.keys(value).length === 0 ? undefined : fail;
    case 'ButterItemMeta':
      return isObject(value) && typeof value.id === 'number' && Object.keys(value).length === 1
        ? undefined
        : fail;
    case 'ButterEmbeddedPage<{ [key: string]: unknown }>':
      return isObject(value) && isObject(value.fields) ? undefined : fail;
  }
  const page = /^ButterPageUri<(".*")>$/.exec(type);
  if (page) {
    const ref = typeof value === 'string' ? parseRef(value) : undefined;
    return ref?.kind === 'page' && ref.pageType === JSON.parse(page[1]!) ? undefined : fail;
  }
  const item = /^ButterItemUri<(".*")>$/.exec(type);
  if (item) {
    const ref = typeof value === 'string' ? parseRef(value) : undefined;
    return ref?.kind === 'item' && ref.key === JSON.parse(item[1]!) ? undefined : fail;
  }
  const embedded = /^ButterEmbeddedPage<(\w+)>$/.exec(type);
  if (embedded) {
    if (!isObject(value)) return fail;
    return validate(value.fields, { $ref: `#/definitions/${embedded[1]}` }, defs, `${path}.fields`);
  }
  if (/^Omit<\w+, .*>$/.test(type)) return isObject(value) ? undefined : fail;
  throw new Error(`validate: unknown tsType ${type}`);
}
