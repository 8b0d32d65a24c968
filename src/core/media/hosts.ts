/**
 * The media host policy, pure. Only URLs on a configured media host are ever fetched or
 * rewritten: content editors control the URLs in the content, so anything else (internal
 * addresses, cloud metadata endpoints, localhost services) must never reach the downloader.
 */

/**
 * Normalizes `mediaHosts` entries: lower case, `host` or `host:port` (`[v6]:port` too); an
 * entry given as a URL (`https://cdn.example.com/`) is reduced to its host. Entries that are
 * not host names are dropped.
 */
export function normalizeHosts(hosts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const entry of hosts) {
    const trimmed = entry.trim().toLowerCase();
    if (trimmed === '') continue;
    try {
      const url = new URL(trimmed.includes('://') ? trimmed : `http://${trimmed}`);
      if (url.username || url.password) continue;
      // `http://host:80` normalizes the port away; keep what the user wrote after the scheme.
      out.add(trimmed.includes('://') ? url.host : hostOf(trimmed, url));
    } catch {
      // Not a host: ignore (options validation reports bad entries up front).
    }
  }
  return out;
}

function hostOf(written: string, url: URL): string {
  const explicitPort = /:(\d+)$/.exec(written);
  return explicitPort && url.port === '' ? `${url.hostname}:${explicitPort[1]}` : url.host;
}

/**
 * Whether `url` may be downloaded: an absolute `http:`/`https:` URL without credentials whose
 * host is listed. An entry without a port matches the scheme's default port only; `host:port`
 * matches that port only.
 */
export function isMediaUrl(url: string | URL, hosts: ReadonlySet<string>): boolean {
  // `URL.parse`, not `new URL`: after a first sync most URLs in HTML are local paths already,
  // and a throw for each would cost more than the check.
  const parsed = typeof url === 'string' ? URL.parse(url) : url;
  if (parsed === null) return false;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  const host = parsed.host.toLowerCase();
  if (hosts.has(host)) return true;
  // `https://cdn.example.com:443/x` is normalized by URL to no port; also accept an explicit
  // default port written in the entry (`cdn.example.com:443`).
  if (parsed.port === '') {
    const defaultPort = parsed.protocol === 'https:' ? '443' : '80';
    return hosts.has(`${host}:${defaultPort}`);
  }
  return false;
}
