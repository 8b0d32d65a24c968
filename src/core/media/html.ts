/**
 * Finding URLs in HTML, pure: a small tokenizer that follows the HTML tokenizer's rules for
 * the parts that matter here (comments, doctype/bogus comments, raw-text elements, start and end
 * tags, quoted/unquoted attribute values), so a URL is only found where a browser would load
 * it, and reported with its exact position for a byte-preserving rewrite.
 */
import { decodeHTMLAttribute } from 'entities/decode';

/** One URL in an attribute value: `[start, end)` is the raw (still entity-encoded) span. */
export interface HtmlUrl {
  start: number;
  end: number;
  /** The URL as a browser resolves it: entities decoded, `//host/…` taken as `https:`. */
  url: string;
  /** Element and attribute, e.g. `img[srcset]`. */
  where: string;
}

/** Attributes holding one URL. */
const URL_ATTRIBUTES = new Set(['src', 'href', 'poster', 'data', 'data-src', 'background']);
/** Attributes holding a srcset (comma-separated candidates with descriptors). */
const SRCSET_ATTRIBUTES = new Set(['srcset', 'data-srcset', 'imagesrcset']);
/** Elements whose content is text, not markup (tags inside are not tags). */
const RAW_TEXT = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
]);

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

/** Every URL in `src`/`href`/`poster`/… and `srcset` attributes, in document order. */
export function findHtmlUrls(html: string): HtmlUrl[] {
  const found: HtmlUrl[] = [];
  const n = html.length;
  let i = html.indexOf('<');
  while (i !== -1 && i < n) {
    const next = html[i + 1];
    if (html.startsWith('<!--', i)) {
      // `<!-->` and `<!--->` close at once; otherwise the comment ends at the first `-->`.
      if (html.startsWith('<!-->', i)) i += 5;
      else if (html.startsWith('<!--->', i)) i += 6;
      else {
        const close = html.indexOf('-->', i + 4);
        i = close === -1 ? n : close + 3;
      }
    } else if (next === '!' || next === '?' || (next === '/' && !isAlpha(html[i + 2]))) {
      // Doctype, CDATA and other bogus comments end at the next `>`.
      const close = html.indexOf('>', i + 2);
      i = close === -1 ? n : close + 1;
    } else if (isAlpha(next) || (next === '/' && isAlpha(html[i + 2]))) {
      const end = next === '/';
      const tag = readTag(html, end ? i + 2 : i + 1, end ? undefined : found);
      i = tag.next;
      // A self-closing slash does not end a raw-text element (browsers ignore it there).
      if (!end && RAW_TEXT.has(tag.name)) i = skipRawText(html, i, tag.name);
    } else {
      i += 1;
    }
    i = i >= n ? -1 : html.indexOf('<', i);
  }
  return found;
}

/** Skips to the matching `</name` (case-insensitive) that ends a raw-text element. */
function skipRawText(html: string, from: number, name: string): number {
  const lower = html.toLowerCase();
  let at = from;
  for (;;) {
    const close = lower.indexOf(`</${name}`, at);
    if (close === -1) return html.length;
    const after = html[close + 2 + name.length];
    if (after === undefined || after === '>' || after === '/' || isSpace(after)) return close;
    at = close + 2;
  }
}

/**
 * Reads a tag from just after `<` or `</`: its name, then attributes until `>`. URL attributes
 * are added to `found` (not for end tags, whose attributes browsers ignore).
 */
function readTag(
  html: string,
  from: number,
  found: HtmlUrl[] | undefined,
): { name: string; next: number } {
  const n = html.length;
  let i = from;
  while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>') i++;
  const name = html.slice(from, i).toLowerCase();
  while (i < n) {
    const c = html[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '>') return { name, next: i + 1 };
    if (c === '/') {
      i++;
      continue;
    }
    // Attribute name: a leading `=` belongs to the name (HTML tokenizer rule).
    const nameStart = i;
    i++;
    while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') {
      i++;
    }
    const attr = html.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < n && isSpace(html[j])) j++;
    if (html[j] !== '=') {
      i = j;
      continue;
    }
    j++;
    while (j < n && isSpace(html[j])) j++;
    let valueStart: number;
    let valueEnd: number;
    const quote = html[j];
    if (quote === '"' || quote === "'") {
      valueStart = j + 1;
      const close = html.indexOf(quote, valueStart);
      valueEnd = close === -1 ? n : close;
      i = close === -1 ? n : close + 1;
    } else {
      valueStart = j;
      while (j < n && !isSpace(html[j]) && html[j] !== '>') j++;
      valueEnd = j;
      i = j;
    }
    if (found !== undefined) collectAttribute(html, name, attr, valueStart, valueEnd, found);
  }
  return { name, next: n };
}

function collectAttribute(
  html: string,
  tag: string,
  attr: string,
  start: number,
  end: number,
  found: HtmlUrl[],
): void {
  if (URL_ATTRIBUTES.has(attr)) {
    let s = start;
    let e = end;
    while (s < e && isSpace(html[s])) s++;
    while (e > s && isSpace(html[e - 1])) e--;
    addUrl(html, s, e, `${tag}[${attr}]`, found);
  } else if (SRCSET_ATTRIBUTES.has(attr)) {
    for (const [s, e] of srcsetUrls(html, start, end)) addUrl(html, s, e, `${tag}[${attr}]`, found);
  }
}

function addUrl(html: string, start: number, end: number, where: string, found: HtmlUrl[]): void {
  if (end <= start) return;
  const url = resolveUrl(decodeEntities(html.slice(start, end)));
  if (url !== undefined) found.push({ start, end, url, where });
}

/**
 * URL spans of a srcset value, after the HTML spec's "parse a srcset attribute": a candidate's
 * URL is a run of non-whitespace (so Filestack URLs with commas, `resize=width:1,height:1/h`,
 * stay whole when followed by a descriptor); trailing commas end the candidate; descriptors run
 * to the next comma outside parentheses.
 */
export function srcsetUrls(text: string, start = 0, end = text.length): [number, number][] {
  const spans: [number, number][] = [];
  let i = start;
  while (i < end) {
    while (i < end && (isSpace(text[i]) || text[i] === ',')) i++;
    if (i >= end) break;
    const urlStart = i;
    while (i < end && !isSpace(text[i])) i++;
    let urlEnd = i;
    if (text[urlEnd - 1] === ',') {
      while (urlEnd > urlStart && text[urlEnd - 1] === ',') urlEnd--;
      spans.push([urlStart, urlEnd]);
      continue;
    }
    spans.push([urlStart, urlEnd]);
    let depth = 0;
    while (i < end) {
      const c = text[i];
      if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
      else if (c === ',' && depth === 0) break;
      i++;
    }
    i++;
  }
  return spans.filter(([s, e]) => e > s);
}

/**
 * Decodes character references as a browser does in an attribute value (`entities`: all the
 * named references of the HTML spec, numeric ones, the legacy ones without `;` where the spec
 * allows them). Most values have none: those are returned as they are, unscanned.
 */
export function decodeEntities(value: string): string {
  return value.includes('&') ? decodeHTMLAttribute(value) : value;
}

/**
 * Makes a (local) URL safe inside any attribute value, quoted or not, and inside a srcset:
 * markup characters become character references, whitespace is percent-encoded.
 */
export function escapeAttribute(value: string): string {
  return value
    .replace(/[&"'<>`]/g, (c) => `&#${c.codePointAt(0)};`)
    .replace(/\s/g, encodeURIComponent);
}

/**
 * The absolute URL a browser loads for an attribute value, or undefined when it is not an
 * absolute http(s) URL (relative links are the site's own, not the CMS's media).
 */
export function resolveUrl(value: string): string | undefined {
  const url = value.startsWith('//') ? `https:${value}` : value;
  if (!/^https?:\/\//i.test(url)) return undefined;
  return url;
}
