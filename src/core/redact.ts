/**
 * Token hygiene: the API token must never reach an error, a log, the snapshot or generated
 * code. Every URL and message that might carry it passes through here first.
 */

const TOKEN_PARAM = /([?&]auth_token=)[^&#\s"']*/gi;
const AUTH_HEADER = /(Authorization:\s*Token\s+)\S+/gi;

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

/** Masks the token (if known) and any `auth_token=` / `Authorization: Token` in free text. */
export function redact(text: string, token?: string): string {
  let out = text.replace(TOKEN_PARAM, '$1***').replace(AUTH_HEADER, '$1***');
  if (token && token.length >= 4) out = out.split(token).join('***');
  return out;
}
