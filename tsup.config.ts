import { defineConfig } from 'tsup';
import { SUBSTITUTES } from './src/integrations/runtime/substitutes.ts';

export default defineConfig([
  {
    entry: [
      'src/index.ts',
      'src/cli.ts',
      'src/vite.ts',
      'src/rollup.ts',
      'src/webpack.ts',
      'src/esbuild.ts',
      'src/rspack.ts',
      'src/unplugin.ts',
      'src/next.ts',
      'src/astro.ts',
    ],
    format: ['esm'],
    target: 'node22',
    platform: 'node',
    dts: true,
    clean: true,
    sourcemap: true,
    splitting: true,
  },
  // The runtime of `virtual:buttercms` goes into the site's own bundles, browser ones too:
  // self-contained, with the reader's disk access swapped for the browser stand-ins.
  {
    entry: { runtime: 'src/integrations/runtime/index.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'browser',
    dts: false,
    clean: false,
    sourcemap: true,
    splitting: false,
    esbuildPlugins: [
      {
        name: 'buttercms-browser-substitutes',
        setup(build) {
          build.onResolve({ filter: /snapshot\/(names|read)\.ts$/ }, (args) => {
            const target = SUBSTITUTES.get(new URL(args.path, `file://${args.importer}`).pathname);
            return target ? { path: target } : undefined;
          });
        },
      },
    ],
  },
]);
