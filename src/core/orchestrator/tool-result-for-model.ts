import { formatBytes, partAsText, readMcpContent, type McpContentPart } from '../../shared/mcp-content';
import { checkImage, type ModelImage } from '../model/model-image';

/** A request carries at most this many images (Anthropic lowers the size it takes past 20), a result at most this. */
export const MAX_IMAGES_PER_REQUEST = 20;
const MAX_IMAGES_PER_RESULT = 5;

/** How many more images one request to the model may carry; each result attached takes from it. */
export class ImageAllowance {
  private left: number;

  constructor(max = MAX_IMAGES_PER_REQUEST) {
    this.left = max;
  }

  take(): boolean {
    if (this.left === 0) return false;
    this.left--;
    return true;
  }
}

/**
 * Whether a result's images go to the model: never (it takes none), not again (the result is an earlier turn's:
 * an image costs up to ~1,600 tokens at every step it is sent), or attached while the request's allowance lasts.
 */
export type ImageSending = { mode: 'never' } | { mode: 'earlier' } | { mode: 'attach'; allowance: ImageAllowance };

export interface ToolResultForModel {
  text: string;
  /** The images attached after the text, each named in it by its number. */
  images: ModelImage[];
}

const NEVER: ImageSending = { mode: 'never' };

/**
 * What the model is sent of a call's result. An MCP result is sent as what it says: its text as text (not
 * escaped inside JSON, which costs a local model's small context and its reading), an embedded resource as its
 * URI and text, a resource link as a line; an image as an attachment to a model that takes images, else as a line
 * that names it (its base64 would only fill the context with characters no text model can read); audio as a
 * line. Any other result (a built-in tool's) is JSON.
 */
export function toolResultForModel(result: unknown, images: ImageSending = NEVER): ToolResultForModel {
  const mcp = readMcpContent(result);
  if (!mcp) return { text: JSON.stringify(result ?? null), images: [] };
  const attached: ModelImage[] = [];
  const lines = mcp.parts.map((part) => (part.kind === 'image' && images.mode !== 'never' ? imageLine(part, images, attached) : partAsText(part, NOT_SENT)));
  // A server should repeat its structured content as text; one that did not is still read.
  if (!mcp.hasText && mcp.structured !== undefined) lines.push(JSON.stringify(mcp.structured));
  return { text: lines.length > 0 ? lines.join('\n') : '(the tool returned no content)', images: attached };
}

/** The text of a result, for a model that is sent no images. */
export function toolResultText(result: unknown): string {
  return toolResultForModel(result).text;
}

type MediaPart = Extract<McpContentPart, { data: string }>;

function imageLine(part: MediaPart, sending: Exclude<ImageSending, { mode: 'never' }>, attached: ModelImage[]): string {
  const named = `[image: ${part.mimeType}, ${formatBytes(part.bytes)}`;
  if (sending.mode === 'earlier') return `${named}; from an earlier turn, not sent again]`;
  const check = checkImage(part.mimeType, part.data, part.bytes);
  if (!check.ok) return `${named}; not sent to the model: ${check.reason}]`;
  if (attached.length === MAX_IMAGES_PER_RESULT) return `${named}; not sent to the model: a result sends at most ${MAX_IMAGES_PER_RESULT} images]`;
  if (!sending.allowance.take()) return `${named}; not sent to the model: a request carries at most ${MAX_IMAGES_PER_REQUEST} images]`;
  attached.push(check.image);
  return `[image ${attached.length}: ${part.mimeType}, ${check.width}×${check.height} pixels, ${formatBytes(part.bytes)}; attached after this result]`;
}

/** Why a part is not in the text the model is sent. */
const NOT_SENT = { media: 'shown to the person in the chat, not sent to the model', other: 'not sent to the model' };
