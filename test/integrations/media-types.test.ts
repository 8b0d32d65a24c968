import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFileName } from '../../src/core/media/names.ts';
import { extensionFor } from '../../src/core/media/types.ts';
import { mediaMiddleware } from '../../src/integrations/unplugin/media.ts';
import { tempDir } from '../sync/helpers.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What the CDN sends → what the dev server answers for the file the media stage stored. */
const CASES: [sent: string, url: string, served: string][] = [
  ['font/woff2', 'https://cdn.buttercms.com/AbC', 'font/woff2'],
  ['image/heic', 'https://cdn.buttercms.com/DeF', 'image/heic'],
  ['audio/wav', 'https://cdn.buttercms.com/GhI', 'audio/wav'],
  [DOCX, 'https://cdn.buttercms.com/JkL', DOCX],
  ['image/jpeg; charset=binary', 'https://cdn.buttercms.com/MnO', 'image/jpeg'],
  ['application/octet-stream', 'https://cdn.buttercms.com/brochure.pdf', 'application/pdf'],
  ['text/html', 'https://cdn.buttercms.com/page.html', 'application/octet-stream'],
];

let dir: { dir: string; cleanup(): Promise<void> };
let server: Server;
let base: string;
const names: string[] = [];

beforeAll(async () => {
  dir = await tempDir('butter-media-types-');
  for (const [sent, url] of CASES) {
    const sha = createHash('sha256').update(url).digest('hex');
    const name = mediaFileName(sha, extensionFor(sent, url));
    await writeFile(join(dir.dir, name), url);
    names.push(name);
  }
  const serve = mediaMiddleware(() => dir.dir, '/buttercms/');
  server = createServer((req, res) => serve(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/buttercms/`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await dir?.cleanup();
});

describe('the dev server serves media with their type', () => {
  it.each(CASES.map((c, i) => [c[0], c[2], i] as const))('%s → %s', async (_, served, i) => {
    const response = await fetch(`${base}${names[i]}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(served);
  });
});
