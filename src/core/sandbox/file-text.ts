import { AppError } from '../../shared/errors';

/** How far a file is looked into for a NUL byte, as fs.search does: text has none. */
const SNIFF_BYTES = 8_000;

/** Binary formats a person names by their file, said in the refusal (their first bytes). */
const KNOWN_BINARY: { magic: number[]; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive, as .xlsx, .docx, .pptx and .zip files are' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Office file (.xls, .doc)' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

/**
 * A file's bytes as the text fs.read returns: UTF-8 (its byte-order mark dropped, as Excel writes one before a
 * CSV's header), or UTF-16 when it starts with that byte-order mark (Excel's "Unicode text"). A binary file is
 * refused, naming what it looks like: decoded as UTF-8 it was thousands of "�" the model read as data.
 */
export function fileText(bytes: Buffer, path: string): string {
  const decoded = decodeText(bytes);
  if (typeof decoded === 'string') return decoded;
  throw new AppError('TOOL_FAILED', `"${path}" is not a text file (${decoded.known ? `it is ${decoded.known}` : 'it holds binary data'}); fs.read reads text files only. Export it as CSV or text to read it.`);
}

/** The UTF-16 a file's byte-order mark says it is in, or null (UTF-8, or binary). */
export function utf16Of(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** A file's bytes as text (as `fileText` reads them), or what binary file they look like; fs.search skips those. */
export function decodeText(bytes: Buffer): string | { known: string | null } {
  const utf16 = utf16Of(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes.subarray(2));
  const known = KNOWN_BINARY.find(({ magic }) => magic.every((byte, i) => bytes[i] === byte));
  if (known || bytes.subarray(0, SNIFF_BYTES).includes(0)) return { known: known?.what ?? null };
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
