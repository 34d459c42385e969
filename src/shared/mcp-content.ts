/**
 * An MCP tool result (`{content: [...], structuredContent?}`) read part by part, for the two places that show it
 * as what it is rather than as JSON: the text the model is sent, and the tool card in the chat. Anything a server
 * sends is untrusted, so every field is checked before it is used.
 */
export type McpContentPart =
  | { kind: 'text'; text: string }
  | { kind: 'image' | 'audio'; mimeType: string; data: string; bytes: number }
  /** A resource embedded in the result: its text, or the size of its binary body. */
  | { kind: 'resource'; uri: string; mimeType?: string; text?: string; bytes?: number }
  /** A pointer to a resource the server holds; nothing of it is fetched. */
  | { kind: 'link'; uri: string; name: string; description?: string; mimeType?: string }
  | { kind: 'unknown'; type: string };

export interface McpContent {
  parts: McpContentPart[];
  /** Some part is text (a text part, or a resource's text): else the structured content is what it says. */
  hasText: boolean;
  /** The result's `structuredContent`, when it has one. */
  structured?: unknown;
}

/** The parts of an MCP tool result; undefined when the value is not one (a built-in tool's own object). */
export function readMcpContent(value: unknown): McpContent | undefined {
  if (!isRecord(value) || !Array.isArray(value.content)) return undefined;
  if (!value.content.every((part) => isRecord(part) && typeof part.type === 'string')) return undefined;
  const parts = (value.content as Record<string, unknown>[]).map(readPart);
  const hasText = parts.some((part) => part.kind === 'text' || (part.kind === 'resource' && part.text !== undefined));
  return value.structuredContent === undefined ? { parts, hasText } : { parts, hasText, structured: value.structuredContent };
}

function readPart(part: Record<string, unknown>): McpContentPart {
  const type = part.type as string;
  if (type === 'text' && typeof part.text === 'string') return { kind: 'text', text: part.text };
  if ((type === 'image' || type === 'audio') && typeof part.data === 'string') {
    return { kind: type, mimeType: text(part.mimeType) ?? 'application/octet-stream', data: part.data, bytes: base64Bytes(part.data) };
  }
  if (type === 'resource_link' && typeof part.uri === 'string') {
    return { kind: 'link', uri: part.uri, name: text(part.title) ?? text(part.name) ?? part.uri, ...optional('description', text(part.description)), ...optional('mimeType', text(part.mimeType)) };
  }
  if (type === 'resource' && isRecord(part.resource) && typeof part.resource.uri === 'string') {
    const { resource } = part;
    const mimeType = text(resource.mimeType);
    const blob = typeof resource.blob === 'string' ? resource.blob : undefined;
    const body = typeof resource.text === 'string' ? { text: resource.text } : blob === undefined ? {} : (textOfBlob(blob, mimeType) ?? { bytes: base64Bytes(blob) });
    return { kind: 'resource', uri: resource.uri as string, ...optional('mimeType', mimeType), ...body };
  }
  return { kind: 'unknown', type };
}

/** Why a part that is not text is not carried along, in the words of the place that leaves it out. */
export interface LeftOutNotes {
  /** For an image or audio. */
  media?: string;
  /** For a resource's binary body or a part of an unknown type. */
  other?: string;
}

/**
 * One part as text: text as it is, a resource's text under its URI, anything else named by its type and size,
 * with the note of why it is not here when one is given.
 */
export function partAsText(part: McpContentPart, notes: LeftOutNotes = {}): string {
  const why = (note: string | undefined, separator: string) => (note ? `${separator}${note}` : '');
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'image':
    case 'audio':
      return `[${part.kind}: ${part.mimeType}, ${formatBytes(part.bytes)}${why(notes.media, '; ')}]`;
    case 'resource': {
      const header = `[resource ${part.uri}${part.mimeType ? ` (${part.mimeType})` : ''}`;
      if (part.text !== undefined) return `${header}]\n${part.text}`;
      return `${header}: ${part.bytes === undefined ? 'no content' : `${formatBytes(part.bytes)} of binary data${why(notes.other, ', ')}`}]`;
    }
    case 'link':
      return `[resource link: ${part.name}, ${part.uri}${part.mimeType ? ` (${part.mimeType})` : ''}${part.description ? `: ${part.description}` : ''}]`;
    case 'unknown':
      return `[a "${part.type}" part${why(notes.other, ', ')}]`;
  }
}

/** "3 KB", "1.2 MB": the size of a binary part, as the person and the model are told it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// Text sent as base64 is still text: read it, so the model and the person see it rather than its size.
const TEXTUAL = /^(text\/|application\/(json|xml|yaml|x-yaml|javascript|toml)\b|[^;]*\+(json|xml)\b)/;

function textOfBlob(blob: string, mimeType: string | undefined): { text: string } | undefined {
  if (!mimeType || !TEXTUAL.test(mimeType)) return undefined;
  try {
    const bytes = Uint8Array.from(atob(blob), (char) => char.charCodeAt(0));
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return undefined; // not base64, or not UTF-8 after all: its size is what can be said of it
  }
}

/** The size of what base64 `data` decodes to, without decoding it. */
export function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
