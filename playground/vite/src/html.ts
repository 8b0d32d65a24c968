/** Tiny HTML helpers: every value from the CMS is escaped, except WYSIWYG fields. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function image(src: unknown, alt: unknown = ''): string {
  return typeof src === 'string' && src !== ''
    ? `<img src="${esc(src)}" alt="${esc(alt)}" loading="lazy">`
    : '';
}
