import { imageSize } from 'image-size';

/** An image a model is sent with a tool's result: its media type, its base64, and what it costs of the context. */
export interface ModelImage {
  mediaType: string;
  data: string;
  tokens: number;
}

/** The formats vision models take (Anthropic's four), and the name image-size gives each. */
const FORMATS: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };
/** Anthropic refuses an image over 5 MB of base64 or 8,000 pixels a side; these stay inside both. */
const MAX_BYTES = 3_750_000;
const MAX_SIDE = 8_000;

export type ImageCheck = { ok: true; image: ModelImage; width: number; height: number } | { ok: false; reason: string };

/**
 * Whether an image a tool returned can be sent to a model, read from its own bytes: a server is untrusted, and an
 * image the API refuses fails the whole request. So the data must be base64 of an image of the type it claims, of
 * a size the API takes; anything else is described to the model instead.
 */
export function checkImage(mimeType: string, data: string, bytes: number): ImageCheck {
  const format = FORMATS[mimeType];
  if (!format) return { ok: false, reason: `${mimeType} is not a format models take (PNG, JPEG, GIF or WebP)` };
  if (bytes > MAX_BYTES) return { ok: false, reason: 'larger than the 3.75 MB a model takes' };
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return { ok: false, reason: 'its data is not base64' };
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(Buffer.from(data, 'base64'));
  } catch {
    return { ok: false, reason: `its data is not a ${format.toUpperCase()} image` };
  }
  const { width = 0, height = 0 } = size;
  if (size.type !== format) return { ok: false, reason: `its data is ${size.type ? `a ${size.type.toUpperCase()}` : 'not a'} image, not ${mimeType}` };
  if (width < 1 || height < 1) return { ok: false, reason: 'its size cannot be read' };
  if (width > MAX_SIDE || height > MAX_SIDE) return { ok: false, reason: `${width}×${height} pixels, more than the ${MAX_SIDE.toLocaleString('en-US')} a side a model takes` };
  return { ok: true, image: { mediaType: mimeType, data, tokens: imageTokens(width, height) }, width, height };
}

/**
 * What an image costs in a model's context: Anthropic scales one down to 1,568 pixels on its long side and
 * about 1.15 megapixels, then counts a token per 750 pixels (so at most ~1,600). Other vision models count
 * near this.
 */
export function imageTokens(width: number, height: number): number {
  const scale = Math.min(1, 1_568 / Math.max(width, height), Math.sqrt(1_150_000 / (width * height)));
  return Math.ceil((width * height * scale * scale) / 750);
}
