/** JSON helpers every stage shares (pure; the reader may run in a browser bundle). */
import type { JsonObject } from './snapshot/model.ts';

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
