/**
 * Lone surrogates (half a UTF-16 pair, which UTF-8 cannot encode), found and replaced: API paths
 * (`urlSegment`) and snapshot file names (`escapeName`) meet them in slugs and keys.
 */

/** Index of the first lone surrogate (half a UTF-16 pair) in `name` from `from` on, or -1. */
export function loneSurrogate(name: string, from: number): number {
  for (let i = from; i < name.length; i++) {
    const unit = name.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = name.charCodeAt(i + 1);
    if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return i;
    i++;
  }
  return -1;
}

/** `text` with each lone surrogate made U+FFFD, as a UTF-8 encoder (or a URL) would have it. */
export function wellFormed(text: string): string {
  let out = '';
  let from = 0;
  for (let lone = loneSurrogate(text, 0); lone !== -1; lone = loneSurrogate(text, from)) {
    out += `${text.slice(from, lone)}\ufffd`;
    from = lone + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
