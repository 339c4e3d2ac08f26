/**
 * Attachment names are shown, never used as paths (files are stored by content hash). For display they lose any
 * directory part, control and bidirectional-override characters, leading dots and trailing dots/spaces, and are
 * cut to 200 characters keeping the extension.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const BIDI_AND_INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const RESERVED = /[<>:"|?*]/g;
const MAX = 200;

export function sanitiseFilename(raw: string | undefined | null): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(CONTROL, '')
    .replace(BIDI_AND_INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if ([...name].length > MAX) {
    const chars = [...name];
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = chars.slice(0, MAX - [...ext].length).join('') + ext;
  }
  return name === '' ? 'attachment' : name;
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 5987). */
export function contentDisposition(filename: string): string {
  const safe = sanitiseFilename(filename);
  const ascii = safe.replace(/[^\x20-\x7E]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The content type to store: the client's type (lower-cased, parameters dropped) when well formed. */
export function normaliseContentType(raw: string | undefined | null): string {
  const base = (raw ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return MIME.test(base) ? base : 'application/octet-stream';
}

const ACTIVE =
  /html|xml|svg|javascript|ecmascript|x-shockwave-flash|^text\/css$|^multipart\/|^application\/(x-)?(pdf-)?x?sh$|^text\/vtt$/;

/** The content type to serve: anything a browser might run or render as a document becomes octet-stream. */
export function servedContentType(stored: string): string {
  const type = normaliseContentType(stored);
  return ACTIVE.test(type) ? 'application/octet-stream' : type;
}
