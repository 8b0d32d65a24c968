import Image from 'next/image';
import { butterImage } from 'unplugin-buttercms/next/reader';
import { getButter } from './butter';

export default async function Home() {
  const butter = await getButter();
  const { data } = await butter.page.retrieve('landing-page', 'landing-page-with-components');
  const sections = await Promise.all(
    data.data.fields.body.map(async (section, i) => {
      if (section.type === 'hero') {
        const image = await butterImage(section.fields.image, section.fields.headline);
        return (
          <section key={i} className="hero" id={section.fields.scroll_anchor_id}>
            <h1>{section.fields.headline}</h1>
            <p>{section.fields.subheadline}</p>
            {image && <Image {...image} priority />}
            <a className="button" href={section.fields.button_url}>
              {section.fields.button_label}
            </a>
          </section>
        );
      }
      if (section.type === 'two_column_with_image') {
        const image = await butterImage(section.fields.image, section.fields.headline);
        return (
          <section key={i} className="two-column" id={section.fields.scroll_anchor_id}>
            <h2>{section.fields.headline}</h2>
            <div dangerouslySetInnerHTML={{ __html: section.fields.subheadline }} />
            {image && <Image {...image} />}
          </section>
        );
      }
      if (section.type === 'features') {
        return (
          <section key={i} className="features" id={section.fields.scroll_anchor_id}>
            <h2>{section.fields.headline}</h2>
            <ul>
              {section.fields.features.map((feature) => (
                <li key={feature.headline}>
                  <h3>{feature.headline}</h3>
                  <p>{feature.description}</p>
                </li>
              ))}
            </ul>
          </section>
        );
      }
      if (section.type === 'testimonials') {
        return (
          <section key={i} className="testimonials" id={section.fields.scroll_anchor_id}>
            <h2>{section.fields.headline}</h2>
            {section.fields.testimonial.map((t) => (
              <blockquote key={t.name}>
                <p>{t.quote}</p>
                <footer>
                  {t.name}, {t.title}
                </footer>
              </blockquote>
            ))}
          </section>
        );
      }
      return null;
    }),
  );
  return (
    <>
      {sections}
      <p className="components">Components on this page: {data.data.fields.body.length}</p>
    </>
  );
}
