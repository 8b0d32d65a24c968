/**
 * The Astro playground: a static site on ButterCMS content, built with the unplugin-buttercms
 * Astro integration (from this repository's source). Point it at an account with
 * BUTTERCMS_API_TOKEN / BUTTERCMS_API_URL; `npm run fake-butter` serves one locally.
 *
 * An .mjs file on purpose: Astro imports it with Node (24 runs the TypeScript sources as they
 * are); a .ts config goes through a short-lived Vite module runner, closed before the plugin's
 * lazy imports run.
 */
import buttercms from '../../src/astro.ts';
import { DEFAULT_MEDIA_HOSTS } from '../../src/core/options.ts';

const env = process.env;
const apiUrl = env.BUTTERCMS_API_URL;
// A local API (the fake) serves its media itself: allow its host too.
const local =
  apiUrl && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(apiUrl) ? [new URL(apiUrl).host] : [];

export default {
  outDir: env.PLAYGROUND_OUT_DIR ?? './dist',
  cacheDir: env.PLAYGROUND_CACHE_DIR ?? './.astro-cache',
  vite: { cacheDir: `${env.PLAYGROUND_CACHE_DIR ?? './.astro-cache'}/vite` },
  integrations: [
    buttercms({
      token: env.BUTTERCMS_API_TOKEN,
      apiUrl,
      pageTypes: ['landing-page'],
      collections: ['faq', 'navigation_menu'],
      mediaHosts: [...DEFAULT_MEDIA_HOSTS, ...local],
      out: env.PLAYGROUND_SNAPSHOT ?? '.buttercms',
      types: env.PLAYGROUND_TYPES ?? 'buttercms.d.ts',
      pollInterval: env.PLAYGROUND_POLL ?? '30s',
    }),
  ],
};
