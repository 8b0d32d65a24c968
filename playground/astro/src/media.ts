/** A media field: a URL (already a local path once synced), or `{ url, alt }`. */
export function media(value: unknown, alt = ''): { src: string; alt: string } | undefined {
  if (typeof value === 'string') return value ? { src: value, alt } : undefined;
  if (value && typeof value === 'object' && 'url' in value && typeof value.url === 'string') {
    const withAlt = value as { url: string; alt?: unknown };
    return { src: withAlt.url, alt: typeof withAlt.alt === 'string' ? withAlt.alt : alt };
  }
  return undefined;
}

/** The blog's page size: small, so that the small account has several pages. */
export const PAGE_SIZE = 2;

/** The URL of the blog's page `n` (1: /blog/, then /blog/page/<n>/). */
export function blogPage(n: number): string {
  return n <= 1 ? '/blog/' : `/blog/page/${n}/`;
}
