/** JSON helpers the reader's modules share (pure; the reader may run in a browser bundle). */
import type { Json, JsonObject } from '../snapshot/model.ts';

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Sets `key` as an own property, as `JSON.parse` does: content keys are data, so `__proto__`
 * stays an ordinary key instead of replacing the prototype.
 */
export function setOwn<T>(out: { [key: string]: T }, key: string, value: T): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}
