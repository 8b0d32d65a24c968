/** What the two `node:http(s)` callers (the API transport, the media downloader) share. */
import type { IncomingMessage } from 'node:http';

/** Reads a response's headers as one string each (`null` when absent), as `fetch` does. */
export function headerReader(response: IncomingMessage): (name: string) => string | null {
  return (name) => {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };
}
