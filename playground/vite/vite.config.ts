/**
 * The playground: a small site on ButterCMS content, built with unplugin-buttercms (from this
 * repository's source). Point it at an account with BUTTERCMS_API_TOKEN / BUTTERCMS_API_URL;
 * `npm run fake-butter` serves one locally.
 */
import { defineConfig } from 'vite';
import { DEFAULT_MEDIA_HOSTS } from '../../src/core/options.ts';
import buttercms from '../../src/vite.ts';

const apiUrl = process.env.BUTTERCMS_API_URL;
// A local API (the fake) serves its media itself: allow its host too.
const local =
  apiUrl && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(apiUrl) ? [new URL(apiUrl).host] : [];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    buttercms({
      token: process.env.BUTTERCMS_API_TOKEN,
      apiUrl,
      pageTypes: ['landing-page'],
      collections: ['faq', 'navigation_menu'],
      mediaHosts: [...DEFAULT_MEDIA_HOSTS, ...local],
      out: process.env.PLAYGROUND_SNAPSHOT ?? '.buttercms',
      types: process.env.PLAYGROUND_TYPES ?? 'buttercms.d.ts',
      pollInterval: process.env.PLAYGROUND_POLL ?? '30s',
    }),
  ],
  build: { outDir: process.env.PLAYGROUND_OUT_DIR ?? 'dist', emptyOutDir: true, manifest: true },
});
