import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMediaUrl, normalizeHosts } from '../../src/core/media/hosts.ts';
import { parseManifest, serializeManifest } from '../../src/core/media/manifest.ts';
import { findMediaFileNames, isMediaFileName, mediaFileName } from '../../src/core/media/names.ts';
import { extensionFor } from '../../src/core/media/types.ts';

describe('host policy', () => {
  const hosts = normalizeHosts(['cdn.buttercms.com', '127.0.0.1:4000', 'https://Other.example/']);
  it.each([
    ['https://cdn.buttercms.com/a', true],
    ['http://cdn.buttercms.com/a', true],
    ['https://CDN.BUTTERCMS.COM/a', true],
    ['https://cdn.buttercms.com:443/a', true],
    ['https://cdn.buttercms.com:8443/a', false],
    ['https://cdn.buttercms.com.evil.com/a', false],
    ['https://evil.com/cdn.buttercms.com/a', false],
    ['https://evil.com#@cdn.buttercms.com/a', false],
    ['https://u:p@cdn.buttercms.com/a', false],
    ['http://127.0.0.1:4000/x', true],
    ['http://127.0.0.1:4001/x', false],
    ['http://127.0.0.1/x', false],
    ['http://169.254.169.254/latest/meta-data/', false],
    ['http://localhost:4000/x', false],
    ['https://other.example/x', true],
    ['file:///etc/passwd', false],
    ['data:image/png;base64,AAAA', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isMediaUrl(url, hosts)).toBe(expected);
  });
});

describe('file names', () => {
  it('comes from the content hash and the Content-Type', () => {
    const sha = 'ab'.repeat(32);
    expect(mediaFileName(sha, extensionFor('image/jpeg; charset=binary', 'https://h/x'))).toBe(
      `${'ab'.repeat(16)}.jpg`,
    );
    expect(extensionFor('image/svg+xml', 'https://h/x')).toBe('svg');
    expect(extensionFor('application/octet-stream', 'https://h/a_b.PNG')).toBe('png');
    expect(extensionFor('', 'https://h/handle')).toBe('bin');
    expect(extensionFor('text/html', 'https://h/x.html')).toBe('bin');
    expect(extensionFor('__proto__', 'https://h/x')).toBe('bin');
    expect(extensionFor('constructor', 'https://h/x')).toBe('bin');
    expect(isMediaFileName('../etc/passwd')).toBe(false);
    expect(() => mediaFileName('../x', 'jpg')).toThrow();
  });

  it('finds in text exactly what a global search for the name pattern finds', () => {
    const pattern = /[0-9a-f]{32}\.[a-z0-9]{1,8}/g;
    const name = `${'ab'.repeat(16)}.jpg`;
    const found = (text: string) => {
      const into = new Set<string>();
      findMediaFileNames(text, into);
      return [...into].sort();
    };
    expect(found(`<img src="/buttercms/${name}"> and ${'c'.repeat(40)}.webpxxxxxxx.`)).toEqual([
      name,
      `${'c'.repeat(32)}.webpxxxx`,
    ]);
    // Names run together, too short, upper case, no extension: as the pattern reads them.
    const pieces = ['0123456789abcdef', 'ABCDEF', '.', '.jpg', '/', ' ', 'x', name];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(found(text)).toEqual([...new Set(text.match(pattern) ?? [])].sort());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('manifest', () => {
  it('round-trips, sorted, __proto__-safe, dropping bad entries', () => {
    const file = `${'0'.repeat(32)}.png`;
    const text = JSON.stringify({
      version: 1,
      files: {
        'https://h/b': { file, type: 'image/png', bytes: 3 },
        'https://h/a': { file, type: 'image/png', bytes: 2 },
        'https://h/evil': { file: '../../x', type: 'x', bytes: 1 },
        'https://h/neg': { file, type: 'x', bytes: -1 },
      },
    });
    const manifest = parseManifest(text);
    expect([...manifest.keys()]).toEqual(['https://h/b', 'https://h/a']);
    const raw = `{"version":1,"files":{"__proto__":{"file":"${file}","type":"t","bytes":1}}}`;
    const proto = parseManifest(raw);
    expect(proto.get('__proto__')).toEqual({ file, type: 't', bytes: 1 });
    expect(parseManifest(serializeManifest(proto))).toEqual(proto);
    expect(serializeManifest(manifest).indexOf('https://h/a')).toBeLessThan(
      serializeManifest(manifest).indexOf('https://h/b'),
    );
    expect(parseManifest('not json').size).toBe(0);
    expect(parseManifest('{"version":2,"files":{}}').size).toBe(0);
  });
});
