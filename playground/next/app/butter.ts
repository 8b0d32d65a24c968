// One reader for the site: server components import it from here.
import { nextButter } from 'unplugin-buttercms/next/reader';

export const getButter = nextButter();

/** Embeds (videos …) become links: the site itself loads nothing from elsewhere. */
export function withoutEmbeds(html: string): string {
  return html.replace(
    /<iframe\b[^>]*\bsrc="([^"]+)"[^>]*>\s*<\/iframe>/g,
    '<a class="embed" href="$1" rel="noopener">Open the embedded content</a>',
  );
}
