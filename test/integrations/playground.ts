/** Builds and serves the playground against the fake server (shared by its tests). */
import { join } from 'node:path';
import { build, createServer, type PreviewServer, preview, type ViteDevServer } from 'vite';
import type { FakeButter } from '../../fixtures/server/index.ts';

export const PLAYGROUND = new URL('../../playground/vite/', import.meta.url).pathname;

export function playgroundEnv(fake: FakeButter, work: string, poll = '30s') {
  return {
    BUTTERCMS_API_URL: fake.apiUrl,
    BUTTERCMS_API_TOKEN: fake.token,
    PLAYGROUND_SNAPSHOT: join(work, '.buttercms'),
    PLAYGROUND_TYPES: join(work, 'buttercms.d.ts'),
    PLAYGROUND_OUT_DIR: join(work, 'dist'),
    PLAYGROUND_POLL: poll,
  };
}

/** Runs `fn` with `vars` in process.env (the playground's config reads it). */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const configFile = join(PLAYGROUND, 'vite.config.ts');

export async function buildPlayground(fake: FakeButter, work: string): Promise<string> {
  await withEnv(playgroundEnv(fake, work), () =>
    build({ configFile, root: PLAYGROUND, logLevel: 'warn' }),
  );
  return join(work, 'dist');
}

export async function previewPlayground(outDir: string): Promise<PreviewServer> {
  return preview({
    configFile: false,
    root: PLAYGROUND,
    logLevel: 'silent',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
  });
}

export async function devPlayground(fake: FakeButter, work: string): Promise<ViteDevServer> {
  return withEnv({ ...playgroundEnv(fake, work, '1s'), CI: '' }, async () => {
    const server = await createServer({
      configFile,
      root: PLAYGROUND,
      logLevel: 'warn',
      server: { port: 0, host: '127.0.0.1' },
    });
    await server.listen();
    return server;
  });
}
