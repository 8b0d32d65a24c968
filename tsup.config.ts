import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      cli: 'src/cli.ts',
      vite: 'src/vite.ts',
      rollup: 'src/rollup.ts',
      webpack: 'src/webpack.ts',
      esbuild: 'src/esbuild.ts',
      rspack: 'src/rspack.ts',
      unplugin: 'src/unplugin.ts',
      next: 'src/next.ts',
      'next/reader': 'src/next-reader.ts',
      reader: 'src/reader.ts',
      astro: 'src/astro.ts',
    },
    format: ['esm'],
    target: 'node22',
    // Resolved in the site, where `withButter` may alias it (src/integrations/next/stamp.ts).
    external: ['unplugin-buttercms/next/stamp'],
    platform: 'node',
    dts: true,
    clean: true,
    sourcemap: true,
    splitting: true,
  },
  // The runtime of `virtual:buttercms` goes into the site's own bundles, browser ones too:
  // self-contained; it reads the snapshot through the files the virtual module hands it.
  {
    entry: { runtime: 'src/integrations/runtime/index.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'browser',
    // Self-contained: the hash of long file names (snapshot/names.ts) is bundled in.
    noExternal: ['@noble/hashes'],
    dts: false,
    clean: false,
    sourcemap: true,
    splitting: false,
  },
]);
