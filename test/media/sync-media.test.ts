import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeMediaReport,
  type MediaWarning,
  mediaWarning,
  syncMedia,
} from '../../src/core/media/index.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { resolveOptions } from '../../src/core/options.ts';
import { makeContent } from './content.ts';
import { bytesFor, startStub, tempDir } from './stub.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('syncMedia', () => {
  it('honours mediaBase and mediaDir, and names every use of a failed URL', async () => {
    const stub = await startStub((req, res) => {
      if (req.url === '/missing') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/webp' }).end(bytesFor(req.url ?? ''));
    });
    const { dir: root, cleanup } = await tempDir();
    cleanups.push(() => stub.close(), cleanup);
    const ok = `${stub.url}/ok`;
    const missing = `${stub.url}/missing`;
    const posts = Array.from({ length: 7 }, (_, i) => ({
      slug: `p${i}`,
      featured_image: missing,
      body: `<p><img src="${ok}"></p>`,
    }));
    const options = resolveOptions(
      {
        token: 't',
        root,
        mediaDir: 'public/cms',
        mediaBase: 'https://static.example.com/cms',
        mediaHosts: [stub.host],
      },
      {},
    );
    const warnings: MediaWarning[] = [];
    const { content, report } = await syncMedia(makeContent({ posts }), options, {
      onWarning: (w) => warnings.push(w),
    });
    const file = report.files.get(ok)!.file;
    expect(file).toMatch(/^[0-9a-f]{32}\.webp$/);
    expect(existsSync(join(root, 'public/cms', file))).toBe(true);
    expect(existsSync(join(root, 'public/cms/media-manifest.json'))).toBe(true);
    expect((content.blog.posts[0] as JsonObject).body).toBe(
      `<p><img src="https://static.example.com/cms/${file}"></p>`,
    );
    expect(content.blog.posts[6]!.featured_image).toBe(missing);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.uses).toHaveLength(7);
    expect(warnings[0]!.message).toBe(
      `media not downloaded: ${missing} (HTTP 404), used by post p0 at featured_image; post p1 at featured_image; post p2 at featured_image; post p3 at featured_image; post p4 at featured_image; 2 more; the URL stays remote`,
    );
    expect(describeMediaReport(report)).toMatch(/^2 media \(1 new, 0 cached, 1 failed, 1\.0 kB\)$/);
  });

  it('redacts tokens in warnings', () => {
    const w = mediaWarning({ url: 'https://h/x?auth_token=secret', reason: 'HTTP 404' }, []);
    expect(w.message).not.toContain('secret');
  });
});
