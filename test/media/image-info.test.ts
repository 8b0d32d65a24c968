/**
 * Image sizes in the media manifest and the snapshot's `media.json`: read from the downloaded
 * bytes (image-size), the displayed size for rotated JPEGs, filled in for files downloaded
 * before sizes were recorded, and only the images the content uses go into `media.json`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jpeg } from '../../fixtures/media/jpeg.ts';
import { png } from '../../fixtures/media/png.ts';
import {
  downloadMedia,
  imageInfo,
  MEDIA_INFO_FILE,
  mediaFileOf,
  parseMediaInfo,
  syncMedia,
} from '../../src/core/media/index.ts';
import { resolveOptions } from '../../src/core/options.ts';
import { makeContent } from './content.ts';
import { startStub, tempDir } from './stub.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const PNG = png({ width: 40, height: 30, from: [0, 0, 0], to: [255, 0, 0], comment: 'a' });
const JPEG = jpeg(64, 16, () => [10, 20, 30], 'b');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"></svg>');

/** A JPEG whose EXIF block says "rotate 90°" (orientation 6). */
function rotatedJpeg(): Buffer {
  // APP1 "Exif\0\0", big-endian TIFF header, one IFD entry: 0x0112 SHORT 1 = 6.
  const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0];
  const exif = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff, 0, 0, 0, 0];
  const app1 = [0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff, ...exif];
  return Buffer.concat([JPEG.subarray(0, 2), Buffer.from(app1), JPEG.subarray(2)]);
}

async function serve() {
  const bodies: Record<string, [string, Buffer]> = {
    '/hero': ['image/png', PNG],
    '/photo': ['image/jpeg', JPEG],
    '/portrait': ['image/jpeg', rotatedJpeg()],
    '/logo': ['image/svg+xml', SVG],
    '/doc': ['application/pdf', Buffer.from('%PDF-1.4\n')],
    '/unreadable': ['image/webp', Buffer.from('RIFF\0\0\0\0WEBPnot a frame')],
  };
  const stub = await startStub((req, res) => {
    const [type, body] = bodies[req.url ?? ''] ?? ['text/plain', Buffer.from('?')];
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  const { dir, cleanup } = await tempDir();
  cleanups.push(() => stub.close(), cleanup);
  return { stub, dir };
}

describe('image sizes', () => {
  it('are recorded in the media manifest at download time', async () => {
    const { stub, dir } = await serve();
    const urls = ['/hero', '/photo', '/portrait', '/logo', '/doc'].map((p) => stub.url + p);
    const report = await downloadMedia(urls, { dir, hosts: [stub.host] });
    const size = (path: string) => {
      const { width, height, format } = report.files.get(stub.url + path)!;
      return { width, height, format };
    };
    expect(size('/hero')).toEqual({ width: 40, height: 30, format: 'png' });
    expect(size('/photo')).toEqual({ width: 64, height: 16, format: 'jpg' });
    expect(size('/portrait')).toEqual({ width: 16, height: 64, format: 'jpg' });
    expect(size('/logo')).toEqual({ width: 120, height: 60, format: 'svg' });
    expect(size('/doc')).toEqual({ width: undefined, height: undefined, format: undefined });
    const saved = JSON.parse(await readFile(join(dir, 'media-manifest.json'), 'utf8'));
    expect(saved.files[`${stub.url}/hero`]).toMatchObject({ width: 40, height: 30, format: 'png' });
  });

  it('are read from files downloaded before they were recorded, without fetching again', async () => {
    const { stub, dir } = await serve();
    const url = `${stub.url}/hero`;
    await downloadMedia([url], { dir, hosts: [stub.host] });
    const manifestFile = join(dir, 'media-manifest.json');
    const saved = JSON.parse(await readFile(manifestFile, 'utf8'));
    const { file, type, bytes } = saved.files[url];
    saved.files[url] = { file, type, bytes };
    await writeFile(manifestFile, JSON.stringify(saved));
    stub.requests.length = 0;
    const report = await downloadMedia([url], { dir, hosts: [stub.host] });
    expect(stub.requests).toEqual([]);
    expect(report.cached).toBe(1);
    expect(report.files.get(url)).toMatchObject({ width: 40, height: 30, format: 'png' });
    const again = JSON.parse(await readFile(manifestFile, 'utf8'));
    expect(again.files[url]).toMatchObject({ width: 40, height: 30 });
  });

  it('that cannot be read are marked so, and never read again', async () => {
    const { stub, dir } = await serve();
    const url = `${stub.url}/unreadable`;
    const first = await downloadMedia([url], { dir, hosts: [stub.host] });
    const manifestFile = join(dir, 'media-manifest.json');
    const saved = JSON.parse(await readFile(manifestFile, 'utf8'));
    expect(saved.files[url]).toMatchObject({ unsized: true });
    expect(saved.files[url].width).toBeUndefined();
    // Were the file read again, the PNG put in its place would give it a size.
    await writeFile(join(dir, first.files.get(url)!.file), PNG);
    const again = await downloadMedia([url], { dir, hosts: [stub.host] });
    expect(again.cached).toBe(1);
    expect(again.files.get(url)).toMatchObject({ unsized: true });
    expect(again.files.get(url)!.width).toBeUndefined();
    expect(await readFile(manifestFile, 'utf8')).toBe(`${JSON.stringify(saved, null, 2)}\n`);
  });

  it('go into the snapshot as media.json: the images the content uses, by file name', async () => {
    const { stub, dir } = await serve();
    const options = resolveOptions(
      { token: 't', root: dir, mediaHosts: [stub.host], mediaDir: 'media' },
      {},
    );
    // An earlier sync downloaded /photo, which this content no longer uses.
    await downloadMedia([`${stub.url}/photo`], { dir: options.mediaDir, hosts: [stub.host] });
    const posts = [
      { slug: 'a', featured_image: `${stub.url}/hero`, body: `<img src="${stub.url}/logo">` },
      { slug: 'b', featured_image: `${stub.url}/doc`, body: '' },
    ];
    const { content, extraFiles } = await syncMedia(makeContent({ posts }), options);
    const hero = mediaFileOf(content.blog.posts[0]!.featured_image as string)!;
    const index = parseMediaInfo(JSON.parse(extraFiles[MEDIA_INFO_FILE]!));
    expect(index.get(hero)).toEqual({ width: 40, height: 30, format: 'png' });
    expect([...index.values()].map((i) => i.format).sort()).toEqual(['png', 'svg']);

    const none = await syncMedia(makeContent({ posts: [posts[1]!] }), options);
    expect(none.extraFiles).toEqual({});
  });

  it('are only what image-size reads; anything else is no image', () => {
    expect(imageInfo(PNG)).toEqual({ width: 40, height: 30, format: 'png' });
    expect(imageInfo(Buffer.from('not an image'))).toBeUndefined();
    expect(
      imageInfo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')),
    ).toBeUndefined();
    expect(mediaFileOf('/buttercms/0123456789abcdef0123456789abcdef.png?w=2')).toBe(
      '0123456789abcdef0123456789abcdef.png',
    );
    expect(mediaFileOf('https://cdn.buttercms.com/abc')).toBeUndefined();
    expect(parseMediaInfo({ '../x.png': { width: 1, height: 1, format: 'png' } }).size).toBe(0);
  });
});
