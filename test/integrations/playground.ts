/**
 * Builds and serves the playground sites (playground/vite, playground/astro) against the fake
 * server, and drives Chromium (shared by their tests).
 */

import { cp, readFile, rm, stat } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, createServer, type PreviewServer, preview, type ViteDevServer } from 'vite';
import type { FakeButter } from '../../fixtures/server/index.ts';
import { CHROMIUM, has } from '../requirements.ts';
import { runCli, SITES } from './sites.ts';

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

/**
 * Builds an Astro playground site with its own `astro build` (playground/astro on Astro 7, or
 * playground/astro-6 with the same sources copied in); returns the output folder and what the
 * build printed.
 */
export async function buildAstroPlayground(
  fake: FakeButter,
  work: string,
  site: 'astro' | 'astro6' = 'astro',
): Promise<{ outDir: string; output: string }> {
  if (site === 'astro6') await copyAstroSources();
  const outDir = join(work, 'dist');
  const output = await runCli(site, ASTRO, ['build'], {
    BUTTERCMS_API_URL: fake.apiUrl,
    BUTTERCMS_API_TOKEN: fake.token,
    PLAYGROUND_OUT_DIR: outDir,
  });
  return { outDir, output };
}

export const ASTRO = 'astro/bin/astro.mjs';

/** playground/astro's sources into playground/astro-6 (which holds only its packages). */
export async function copyAstroSources(): Promise<void> {
  for (const name of ['src', 'astro.config.ts', 'tsconfig.json']) {
    await rm(join(SITES.astro6.dir, name), { recursive: true, force: true });
    await cp(join(SITES.astro.dir, name), join(SITES.astro6.dir, name), { recursive: true });
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
};

/** A static server of `dir` on 127.0.0.1 (`/x/` serves `/x/index.html`); resolves its URL. */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createHttpServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(dir, path);
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const chromiumAvailable = has('chromium');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Records every request the page makes. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** The page's images once all are complete: their `src` attribute and natural width. */
export async function loadedImages(page: Page): Promise<{ src: string; width: number }[]> {
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  return page.$$eval('img', (imgs) =>
    imgs.map((img) => ({ src: img.getAttribute('src') ?? '', width: img.naturalWidth })),
  );
}

/** Every URL is on localhost. */
export function localOnly(urls: string[]): string[] {
  return urls.filter((url) => !/^(127\.0\.0\.1|localhost)$/.test(new URL(url).hostname));
}
