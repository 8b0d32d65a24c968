import { createHash } from 'node:crypto';

/** Content hash of one snapshot file (hex sha256 of its UTF-8 bytes). */
export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON as the store writes it: the value's own key order, two spaces, trailing newline. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
