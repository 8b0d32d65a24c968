import { describe, expect, it } from 'vitest';
import { decodeEntities, findHtmlUrls, srcsetUrls } from '../../src/core/media/html.ts';

const urls = (html: string) => findHtmlUrls(html).map((f) => f.url);

describe('findHtmlUrls', () => {
  it('finds img src, a href, source src/srcset, video poster and src with exact spans', () => {
    const html =
      '<p><img src="https://cdn.buttercms.com/A" alt="x"></p>' +
      "<a href='https://cdn.buttercms.com/doc'>pdf</a>" +
      '<video poster=https://cdn.buttercms.com/P controls><source src="https://cdn.buttercms.com/V" type="video/mp4"></video>' +
      '<picture><source srcset="https://cdn.buttercms.com/S1 1x, https://cdn.buttercms.com/S2 2x"></picture>';
    const found = findHtmlUrls(html);
    expect(found.map((f) => f.url)).toEqual([
      'https://cdn.buttercms.com/A',
      'https://cdn.buttercms.com/doc',
      'https://cdn.buttercms.com/P',
      'https://cdn.buttercms.com/V',
      'https://cdn.buttercms.com/S1',
      'https://cdn.buttercms.com/S2',
    ]);
    for (const f of found) expect(html.slice(f.start, f.end)).toBe(f.url);
    expect(found.map((f) => f.where)).toEqual([
      'img[src]',
      'a[href]',
      'video[poster]',
      'source[src]',
      'source[srcset]',
      'source[srcset]',
    ]);
  });

  it('keeps Filestack URLs with commas whole in srcset', () => {
    const a = 'https://cdn.buttercms.com/resize=width:100,height:100/H';
    const b = 'https://cdn.buttercms.com/resize=width:960/H';
    expect(urls(`<img srcset="${a} 100w,${b} 960w" src="${b}">`)).toEqual([a, b, b]);
    expect(urls(`<img srcset="${b}, ${a},">`)).toEqual([b, a]);
    // Without whitespace after the comma a browser reads one URL: so do we.
    expect(urls(`<img srcset="${b},${b}">`)).toEqual([`${b},${b}`]);
  });

  it('ignores comments, scripts, styles, textareas, end tags and text', () => {
    const html =
      '<!-- <img src="https://cdn.buttercms.com/C"> -->' +
      '<script>var s = "<img src=https://cdn.buttercms.com/J>";</script>' +
      '<style>a{background:url(https://cdn.buttercms.com/S)}</style>' +
      '<textarea><img src="https://cdn.buttercms.com/T"></textarea>' +
      '</p src="https://cdn.buttercms.com/E">' +
      '<p>https://cdn.buttercms.com/text</p>' +
      '<!DOCTYPE html><img src="https://cdn.buttercms.com/ok">';
    expect(urls(html)).toEqual(['https://cdn.buttercms.com/ok']);
  });

  it('does not stop a raw-text element at a self-closing slash', () => {
    expect(urls('<script/>x</script><img src="https://h/1">')).toEqual(['https://h/1']);
    expect(urls('<iframe src="https://h/i" />no end')).toEqual(['https://h/i']);
  });

  it('reads attribute values like a browser: quotes, >, entities, whitespace, case', () => {
    const html = '<IMG alt="a > b" data-x=\'q"\' SRC = " https://h/x?a=1&amp;b=2 " >';
    const [found] = findHtmlUrls(html);
    expect(found?.url).toBe('https://h/x?a=1&b=2');
    expect(html.slice(found!.start, found!.end)).toBe('https://h/x?a=1&amp;b=2');
  });

  it('resolves protocol-relative URLs as https and skips relative ones', () => {
    expect(urls('<img src="//cdn.buttercms.com/R"><img src="/local.png"><a href="#x">')).toEqual([
      'https://cdn.buttercms.com/R',
    ]);
  });

  it('survives unterminated markup', () => {
    expect(urls('<img src="https://h/a')).toEqual(['https://h/a']);
    expect(urls('<!-- never closed <img src="https://h/a">')).toEqual([]);
    expect(urls('a < b <3 <img src=https://h/u>')).toEqual(['https://h/u']);
  });
});

describe('srcsetUrls', () => {
  it('follows the spec: descriptors with parentheses, trailing commas', () => {
    const text = 'a.png 1x, b.png (foo, bar) 2x,c.png,, d.png';
    expect(srcsetUrls(text).map(([s, e]) => text.slice(s, e))).toEqual([
      'a.png',
      'b.png',
      'c.png',
      'd.png',
    ]);
  });
});

describe('decodeEntities', () => {
  it('decodes numeric and common named references, leaves unknown ones', () => {
    expect(decodeEntities('a&amp;b&#38;c&#x26;d&unknown;')).toBe('a&b&c&d&unknown;');
  });

  it('knows every named reference of the HTML spec, and the legacy rules of attributes', () => {
    expect(decodeEntities('&NotEqualTilde;&lpar;&rpar;&excl;&dollar;&ast;')).toBe(
      '\u2242\u0338()!$*',
    );
    // Without `;`: decoded at the end or before a non-alphanumeric, kept before `=` or a letter.
    expect(decodeEntities('?a=1&copy=2&ampx&lt')).toBe('?a=1&copy=2&ampx<');
    expect(decodeEntities('&#x80;&#0;')).toBe('\u20ac\ufffd');
  });

  it('finds a URL written with references an old table of 18 did not know', () => {
    const html = '<img src="https://cdn.buttercms.com/a&lpar;1&rpar;&commat;2x.png">';
    expect(findHtmlUrls(html).map((u) => u.url)).toEqual(['https://cdn.buttercms.com/a(1)@2x.png']);
  });
});
