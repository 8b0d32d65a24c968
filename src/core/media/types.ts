/**
 * Media types of downloaded files, through `mime` (the IANA types and the common others): the
 * extension a file is stored with, from its `Content-Type` or else its URL, and the
 * `Content-Type` a dev server answers for it. Only the extensions in `STORED` are ever given
 * (`bin` for anything else) and only they are served with their type: never `html` or `js`,
 * since the site serves this folder from its own origin.
 */
import mime from 'mime';

/** The extensions files are stored with, the preferred spelling of each type first. */
const STORED = [
  ...['jpg', 'png', 'apng', 'gif', 'webp', 'avif', 'svg', 'bmp', 'tif', 'ico', 'heic', 'heif'],
  ...['mp4', 'webm', 'ogv', 'mov', 'mpeg', 'mp3', 'm4a', 'ogg', 'wav', 'weba', 'flac'],
  ...['pdf', 'zip', 'json', 'doc', 'xls', 'ppt', 'docx', 'xlsx', 'pptx', 'txt', 'csv'],
  ...['woff', 'woff2', 'ttf', 'otf'],
];

/** Types servers send that are no registered name (`mime` does not know them): what they mean. */
const UNREGISTERED: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/flac': 'audio/x-flac',
};

function storedExtension(type: string): string | undefined {
  const extensions = mime.getAllExtensions(
    Object.hasOwn(UNREGISTERED, type) ? UNREGISTERED[type]! : type,
  );
  return extensions ? STORED.find((ext) => extensions.has(ext)) : undefined;
}

/** Extension (without the dot, lower case, `[a-z0-9]` only) for a downloaded file. */
export function extensionFor(contentType: string | null | undefined, url: string): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const fromType = type === '' ? undefined : storedExtension(type);
  if (fromType !== undefined) return fromType;
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    path = '';
  }
  const fromPath = /\.([A-Za-z0-9]{1,5})$/.exec(path)?.[1]?.toLowerCase();
  const typeOfPath = fromPath === undefined ? null : mime.getType(fromPath);
  return (typeOfPath && storedExtension(typeOfPath)) ?? 'bin';
}

/** The `Content-Type` to serve a stored media file (`<hash>.<ext>`) with. */
export function mediaTypeOf(file: string): string {
  const ext = file.slice(file.lastIndexOf('.') + 1);
  return (STORED.includes(ext) && mime.getType(ext)) || 'application/octet-stream';
}
