/** JSON helpers every stage shares (pure; the reader may run in a browser bundle). */
import type { JsonObject } from './content.ts';

/** A JSON object: not `null`, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets `key` as an own property, as `JSON.parse` does: content keys are data, so `__proto__`
 * stays an ordinary key instead of replacing the prototype. (Only `__proto__` has a setter on
 * `Object.prototype`; every other key is assigned, which is much faster than defining it.)
 */
export function setOwn<T>(out: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    out[key] = value;
  }
}

/**
 * A record for keys that come from content (page types, collection keys, slugs), with the
 * entries of `from`: without a prototype, so assigning `__proto__` stores an entry like any
 * other key instead of replacing the prototype.
 */
export function contentRecord<T>(from?: { readonly [key: string]: T }): { [key: string]: T } {
  return Object.assign(Object.create(null) as { [key: string]: T }, from);
}
