/**
 * Request URLs. The path always ends with a slash (ButterCMS redirects otherwise, and a
 * redirect costs a second API call); the token goes last as `auth_token`, and the `endpoint`
 * used in errors and logs is built without it.
 */

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface RequestTarget {
  /** Full URL including `auth_token`: only ever handed to fetch. */
  url: string;
  /** `GET /v2/pages/*\/?levels=1`: what errors, events and logs show. */
  endpoint: string;
}

/** `true` → `1` (ButterCMS's flags are `preview=1`, `alt_media_text=1`); `false`/undefined are left out. */
function queryValue(value: string | number | boolean | undefined): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return '1';
  return String(value);
}

/** Percent-encodes a query component, keeping `,` (`keys=a,b`) readable. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%2C/g, ',');
}

/** Adds the trailing slash to the path part of `path` (which may carry its own `?query`). */
export function withTrailingSlash(path: string): string {
  const q = path.indexOf('?');
  const pathname = q === -1 ? path : path.slice(0, q);
  const query = q === -1 ? '' : path.slice(q);
  const leading = pathname.startsWith('/') ? pathname : `/${pathname}`;
  return `${leading.endsWith('/') ? leading : `${leading}/`}${query}`;
}

/**
 * The URL for `path` (relative to `apiUrl`, e.g. `/pages/*\/`, optionally with its own `?query`;
 * a reference URI starting with the API's path prefix, e.g. `/v2/content/?keys=faq`, works too)
 * and `params` (which win over the path's query).
 */
export function buildTarget(
  apiUrl: string,
  path: string,
  params: QueryParams | undefined,
  token: string,
): RequestTarget {
  const base = new URL(apiUrl.replace(/\/+$/, ''));
  const prefix = base.pathname.replace(/\/+$/, '');
  // Reference URIs found in content carry the API's own prefix (`/v2/pages/<type>/<slug>`).
  const relative =
    prefix !== '' && path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
  const full = withTrailingSlash(relative);
  const q = full.indexOf('?');
  const pathname = q === -1 ? full : full.slice(0, q);
  const pairs: [string, string][] = [];
  if (q !== -1) {
    for (const [k, v] of new URLSearchParams(full.slice(q + 1))) pairs.push([k, v]);
  }
  for (const [k, v] of Object.entries(params ?? {})) {
    const value = queryValue(v);
    const existing = pairs.findIndex(([key]) => key === k);
    if (existing !== -1) pairs.splice(existing, 1);
    if (value !== undefined) pairs.push([k, value]);
  }
  const visible = pairs.filter(([k]) => k.toLowerCase() !== 'auth_token');
  const query = visible.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const target = new URL(`${base.origin}${prefix}${pathname}`);
  const shownQuery = query === '' ? '' : `?${query}`;
  const tokenPart = `auth_token=${encodeURIComponent(token)}`;
  return {
    url: `${target.origin}${target.pathname}${shownQuery === '' ? `?${tokenPart}` : `${shownQuery}&${tokenPart}`}`,
    endpoint: `GET ${target.pathname}${shownQuery}`,
  };
}
