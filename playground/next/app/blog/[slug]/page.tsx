import Image from 'next/image';
import { butterImage } from 'unplugin-buttercms/next/reader';
import { getButter, withoutEmbeds } from '../../butter';

/** Every post, page by page: the static build renders each one. */
export async function generateStaticParams() {
  const butter = await getButter();
  const slugs: { slug: string }[] = [];
  for (let page = 1; page; ) {
    const { data } = await butter.post.list({ page, page_size: 100, exclude_body: true });
    slugs.push(...data.data.map((post) => ({ slug: post.slug })));
    page = data.meta.next_page ?? 0;
  }
  return slugs;
}

export default async function Post({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const butter = await getButter();
  const { data } = await butter.post.retrieve(slug);
  const post = data.data;
  const image = await butterImage(post.featured_image, post.featured_image_alt || post.title);
  return (
    <>
      <article>
        <h1>{post.title}</h1>
        <p className="byline">
          by {post.author.first_name} {post.author.last_name}
        </p>
        {image && <Image {...image} />}
        <div className="body" dangerouslySetInnerHTML={{ __html: withoutEmbeds(post.body) }} />
      </article>
      <p>
        <a href="/blog">All posts</a>
      </p>
    </>
  );
}
