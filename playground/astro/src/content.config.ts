// Content collections fed from the ButterCMS snapshot (the integration in astro.config syncs
// it; the loaders take their options from there).
import { defineCollection } from 'astro:content';
import { buttercmsLoader } from 'unplugin-buttercms/astro';

export const collections = {
  landing: defineCollection({ loader: buttercmsLoader({ pageType: 'landing-page' }) }),
  faq: defineCollection({ loader: buttercmsLoader({ collection: 'faq' }) }),
  menu: defineCollection({ loader: buttercmsLoader({ collection: 'navigation_menu' }) }),
  posts: defineCollection({ loader: buttercmsLoader({ posts: true }) }),
};
