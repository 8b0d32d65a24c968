/**
 * File names of downloaded media, pure. A file is named after its content (SHA-256, so identical
 * bytes are stored once whatever URL they came from) plus an extension (`extensionFor`,
 * `./types.ts`: media handles have none, so it comes from the `Content-Type`).
 */

/** Length of the hex digest kept in file names (128 bits). */
const NAME_HEX = 32;
/** Longest extension `mediaFileName` keeps. */
const MAX_EXT = 8;
const EXTENSION = new RegExp(`^[a-z0-9]{1,${MAX_EXT}}$`);

/** `<first 32 hex digits of the SHA-256>.<ext>`: safe on every file system, never a path. */
export function mediaFileName(sha256Hex: string, extension: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256Hex)) throw new TypeError('expected a SHA-256 hex digest');
  const ext = EXTENSION.test(extension) ? extension : 'bin';
  return `${sha256Hex.slice(0, NAME_HEX)}.${ext}`;
}

/** The file names `mediaFileName` makes, as a pattern. */
const WHOLE_NAME = new RegExp(`^[0-9a-f]{${NAME_HEX}}\\.[a-z0-9]{1,${MAX_EXT}}$`);

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
const isExtChar = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122);

/**
 * Adds to `into` every media file name (`isMediaFileName`) inside `text`: what a global search
 * for the pattern finds, found from the dots instead: several times faster over every string of
 * an account, which is searched after every sync with media.
 */
export function findMediaFileNames(text: string, into: Set<string>): void {
  let dot = text.indexOf('.', NAME_HEX);
  while (dot !== -1) {
    let end = dot + 1;
    while (end < text.length && end - dot <= MAX_EXT && isExtChar(text.charCodeAt(end))) end++;
    let start = dot;
    if (end > dot + 1) {
      while (start > dot - NAME_HEX && isHex(text.charCodeAt(start - 1))) start--;
    }
    if (start === dot - NAME_HEX) {
      into.add(text.slice(start, end));
      dot = text.indexOf('.', end + NAME_HEX);
    } else {
      dot = text.indexOf('.', dot + 1);
    }
  }
}

/** Whether `name` is a file name this module makes (used to trust manifest entries). */
export function isMediaFileName(name: string): boolean {
  return WHOLE_NAME.test(name);
}

/** Public URL of a media file: `mediaBase` (ends with `/`) + file name. */
export function publicPath(mediaBase: string, file: string): string {
  return `${mediaBase.endsWith('/') ? mediaBase : `${mediaBase}/`}${file}`;
}
