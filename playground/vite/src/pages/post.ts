import { butter } from 'virtual:buttercms';
import { esc, image } from '../html.ts';

export async function render(match: RegExpMatchArray): Promise<string> {
  const slug = decodeURIComponent(match[1]!);
  const { data } = await butter.post.retrieve(slug);
  const post = data.data as {
    title: string;
    body: string;
    featured_image: string;
    author: { first_name: string; last_name: string };
  };
  document.title = post.title;
  // `body` is the CMS's WYSIWYG HTML (its media already point at local files). Embeds (videos
  // …) from other sites become links: the site itself loads nothing from elsewhere.
  const body = post.body.replace(
    /<iframe\b[^>]*\bsrc="([^"]+)"[^>]*>\s*<\/iframe>/g,
    '<a class="embed" href="$1" rel="noopener">Open the embedded content</a>',
  );
  return `<article><h1>${esc(post.title)}</h1>
    <p class="byline">by ${esc(post.author.first_name)} ${esc(post.author.last_name)}</p>
    ${image(post.featured_image, post.title)}<div class="body">${body}</div></article>
    <p><a href="/blog">All posts</a></p>`;
}
