import { hash } from 'node:crypto';

/**
 * Content hash of one snapshot file: hex sha256 of its UTF-8 bytes (given as text or as the
 * bytes). The one-shot `crypto.hash`: over a whole snapshot, well under the time of
 * `createHash(…).update().digest()`.
 */
export function hashText(text: string | Uint8Array): string {
  return hash('sha256', text, 'hex');
}

/** JSON as the store writes it: the value's own key order, two spaces, trailing newline. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
