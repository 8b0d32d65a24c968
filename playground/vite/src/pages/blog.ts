import { butter } from 'virtual:buttercms';
import { esc, image } from '../html.ts';

const PAGE_SIZE = 2;

export async function render(_match: RegExpMatchArray, url: URL): Promise<string> {
  const page = Number(url.searchParams.get('page') ?? 1) || 1;
  const { data } = await butter.post.list({ page, page_size: PAGE_SIZE, exclude_body: true });
  const posts = data.data as {
    slug: string;
    title: string;
    summary: string;
    featured_image: string;
  }[];
  const meta = data.meta as { previous_page?: number | null; next_page?: number | null };
  const pager = [
    meta.previous_page ? `<a rel="prev" href="/blog?page=${meta.previous_page}">Newer</a>` : '',
    meta.next_page ? `<a rel="next" href="/blog?page=${meta.next_page}">Older</a>` : '',
  ].join('');
  return `<h1>Blog</h1>${posts
    .map(
      (p) => `<article class="post-summary">${image(p.featured_image, p.title)}
        <h2><a href="/blog/${encodeURIComponent(p.slug)}">${esc(p.title)}</a></h2>
        <p>${esc(p.summary)}</p></article>`,
    )
    .join('')}<nav class="pagination">${pager}</nav>`;
}
