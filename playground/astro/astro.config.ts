/**
 * The Astro playground: a static site on ButterCMS content, with unplugin-buttercms installed
 * from this repository as a package (`npm install` packs it: see .npmrc). Point it at an account
 * with BUTTERCMS_API_TOKEN / BUTTERCMS_API_URL; `npm run fake-butter` (in the repository)
 * serves one locally. Typed: `astro check` checks this file against Astro's own types.
 */
import { defineConfig } from 'astro/config';
import { DEFAULT_MEDIA_HOSTS } from 'unplugin-buttercms';
import buttercms from 'unplugin-buttercms/astro';

const env = process.env;
const apiUrl = env.BUTTERCMS_API_URL;
// A local API (the fake) serves its media itself: allow its host too.
const local =
  apiUrl && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(apiUrl) ? [new URL(apiUrl).host] : [];

export default defineConfig({
  outDir: env.PLAYGROUND_OUT_DIR ?? './dist',
  integrations: [
    buttercms({
      pageTypes: ['landing-page'],
      collections: ['faq', 'navigation_menu'],
      mediaHosts: [...DEFAULT_MEDIA_HOSTS, ...local],
      pollInterval: env.PLAYGROUND_POLL ?? '30s',
    }),
  ],
});
