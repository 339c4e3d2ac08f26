/** Upload types a visitor may send, recognised by their first bytes (the declared type is never trusted). */
export type VisitorUploadType =
  | 'image/png'
  | 'image/jpeg'
  | 'image/gif'
  | 'image/webp'
  | 'application/pdf'
  | 'text/plain';

const startsWith = (b: Buffer, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The real type of a file from its bytes: PNG, JPEG, GIF, WebP and PDF by signature; plain text when it is valid
 * UTF-8 without NUL bytes and does not open like markup (HTML, SVG, XML are refused, never served as text).
 */
export function sniffUploadType(content: Buffer): VisitorUploadType | null {
  if (startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(content, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(content, ascii('GIF87a')) || startsWith(content, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(content, ascii('RIFF')) && startsWith(content, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(content, ascii('%PDF-'))) return 'application/pdf';
  if (content.includes(0)) return null;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  if (text.includes('\uFFFD')) return null;
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 200)
    .toLowerCase();
  if (/^<(\?xml|!doctype|html|svg|script|head|body|iframe|\w+[\s>])/.test(head)) return null;
  if (/<(script|svg|html|iframe)\b/.test(text.slice(0, 4096).toLowerCase())) return null;
  return 'text/plain';
}
