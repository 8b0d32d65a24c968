/**
 * Token hygiene: the API token must never reach an error, a log, the snapshot or generated
 * code. Every URL and message that might carry it passes through here first.
 */

const TOKEN_PARAM = /([?&]auth_token=)[^&#\s"']*/gi;
const AUTH_HEADER = /(Authorization:\s*Token\s+)\S+/gi;
/** The `user:password@` of a URL. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Removes `auth_token` from a URL (keeping the rest intact). */
export function stripToken(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.searchParams.has('auth_token')) return url;
    parsed.searchParams.delete('auth_token');
    return parsed.toString();
  } catch {
    return url.replace(TOKEN_PARAM, '$1***');
  }
}

/**
 * A URL as it may be shown or stored (a message, the manifest's `source`): without user,
 * password, query or fragment — a token can hide under any query name. Text that is no URL
 * keeps its characters, but not a `user:password@` or any query value.
 */
export function publicUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const origin = parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
    return `${origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return redact(url).replace(/([?&#][^=&#\s]*=)[^&#\s]*/g, '$1***');
  }
}

/**
 * Masks the token (if known) in every form a server or a URL may echo it in, the `user:password`
 * of URLs, and any `auth_token=` / `Authorization: Token` in free text.
 */
export function redact(text: string, token?: string): string {
  let out = text
    .replace(TOKEN_PARAM, '$1***')
    .replace(AUTH_HEADER, '$1***')
    .replace(USERINFO, '$1***@');
  if (token && token.length >= 4) out = out.replace(tokenPattern(token), '***');
  return out;
}

const patterns = new Map<string, RegExp>();

/**
 * The token as it may appear: each character other than a letter or digit raw, or
 * percent-encoded (either case of hex, or encoded twice: `%2B`, `%2b`, `%252B`), `/` also
 * JSON-escaped (`\/`), a space also as `+`. A hex token and a base64 one are masked alike.
 */
function tokenPattern(token: string): RegExp {
  let pattern = patterns.get(token);
  if (!pattern) {
    let source = '';
    for (const char of token) {
      if (/[A-Za-z0-9]/.test(char)) {
        source += char;
        continue;
      }
      const forms = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')];
      const bytes = [...new TextEncoder().encode(char)];
      forms.push(bytes.map((b) => `%(?:25)?${hexPattern(b)}`).join(''));
      if (char === '/') forms.push('\\\\/');
      if (char === ' ') forms.push('\\+');
      source += `(?:${forms.join('|')})`;
    }
    pattern = new RegExp(source, 'g');
    patterns.set(token, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

/** A byte as two hex digits, either case. */
function hexPattern(byte: number): string {
  return [...byte.toString(16).padStart(2, '0')]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join('');
}
