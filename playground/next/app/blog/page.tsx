import { getButter } from '../butter';

export default async function Blog() {
  const butter = await getButter();
  const { data } = await butter.post.list({ page_size: 100, exclude_body: true });
  return (
    <>
      <h1>Blog</h1>
      {data.data.map((post) => (
        <article key={post.slug}>
          <h2>
            <a href={`/blog/${post.slug}`}>{post.title}</a>
          </h2>
          <p>{post.summary}</p>
        </article>
      ))}
    </>
  );
}
