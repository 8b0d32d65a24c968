/**
 * The Next.js playground: an App Router site on ButterCMS content, with unplugin-buttercms
 * installed from this repository as a package (`npm install` packs it: see .npmrc). Point it at
 * an account with BUTTERCMS_API_TOKEN / BUTTERCMS_API_URL; `npm run fake-butter` (in the
 * repository) serves one locally.
 */
import { dirname } from 'node:path';
import type { NextConfig } from 'next';
import { DEFAULT_MEDIA_HOSTS } from 'unplugin-buttercms';
import { withButter } from 'unplugin-buttercms/next';

const env = process.env;
const apiUrl = env.BUTTERCMS_API_URL;
// A local API (the fake) serves its media itself: allow its host too.
const local =
  apiUrl && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(apiUrl) ? [new URL(apiUrl).host] : [];

const nextConfig: NextConfig = {
  // The tests build with Turbopack and with webpack side by side.
  distDir: env.PLAYGROUND_DIST_DIR ?? '.next',
  // The playgrounds share ../shared/style.css (and this repository has a lockfile of its own).
  turbopack: { root: dirname(import.meta.dirname) },
};

export default withButter(nextConfig, {
  pageTypes: ['landing-page'],
  collections: ['faq', 'navigation_menu'],
  mediaHosts: [...DEFAULT_MEDIA_HOSTS, ...local],
  pollInterval: env.PLAYGROUND_POLL ?? '30s',
});
