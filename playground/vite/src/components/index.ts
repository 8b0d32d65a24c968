/** Landing-page components (ButterCMS component picker entries), one renderer per type. */
import { esc, image } from '../html.ts';

type Fields = Record<string, unknown>;

const renderers: Record<string, (f: Fields) => string> = {
  hero: (f) => `<section class="hero" id="${esc(f.scroll_anchor_id)}">
    <h1>${esc(f.headline)}</h1><p>${esc(f.subheadline)}</p>${image(f.image)}
    <a href="${esc(f.button_url)}">${esc(f.button_label)}</a></section>`,
  two_column_with_image: (
    f,
  ) => `<section class="two-column ${esc(f.image_position)}" id="${esc(f.scroll_anchor_id)}">
    <div><h2>${esc(f.headline)}</h2><p>${esc(f.subheadline)}</p></div>${image(f.image)}</section>`,
  features: (f) => `<section id="${esc(f.scroll_anchor_id)}"><h2>${esc(f.headline)}</h2>
    <p>${esc(f.subheadline)}</p><div class="features">${((f.features as Fields[]) ?? [])
      .map(
        (x) =>
          `<div class="feature">${image(x.icon)}<h3>${esc(x.headline)}</h3><p>${esc(x.description)}</p></div>`,
      )
      .join('')}</div></section>`,
  testimonials: (f) =>
    `<section id="${esc(f.scroll_anchor_id)}"><h2>${esc(f.headline)}</h2>${(
      (f.testimonial as Fields[]) ?? []
    )
      .map(
        (t) =>
          `<blockquote><p>${esc(t.quote)}</p><footer>${esc(t.name)}, ${esc(t.title)}</footer></blockquote>`,
      )
      .join('')}</section>`,
};

export function renderComponents(body: { type: string; fields: Fields }[]): string {
  return body.map((c) => renderers[c.type]?.(c.fields) ?? '').join('\n');
}
