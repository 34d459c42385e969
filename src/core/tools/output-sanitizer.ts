/** Default cap on what one tool call may hand to the model and the database. */
export const DEFAULT_OUTPUT_CAP_CHARS = 256 * 1024;

// C0 and C1 controls, DEL and the escape character; tab, newline and carriage return are kept.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Terminal escape sequences, whole, so that no "[31m" is left behind: CSI (colours, cursor moves), OSC (titles,
// links; only a terminated one, so a stray ESC] cannot swallow the text after it) and two-character escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]{0,4096}(?:\u0007|\u001b\\)|\u001b[0-~]/g;

const stripped = (text: string): string => text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');

export interface SanitizedOutput {
  value: unknown;
  truncated: boolean;
  originalChars: number;
}

/**
 * Makes a tool's result safe to show and to hand to the model: control characters (terminal escapes and the
 * like) are stripped from every string, and a result larger than `capChars` (as JSON) is cut down with a notice
 * saying so, in the text the model reads. What is cut has its secrets masked first (`mask`): a secret across the
 * cut is no longer found whole by the store's masking afterwards, and all but its tail was stored.
 */
export function sanitizeToolOutput(value: unknown, capChars = DEFAULT_OUTPUT_CAP_CHARS, mask: (text: string) => string = (text) => text): SanitizedOutput {
  const clean = stripControlCharsDeep(value);
  const json = JSON.stringify(clean) ?? 'null';
  if (json.length <= capChars) return { value: clean, truncated: false, originalChars: json.length };
  const notice = `[Output truncated by Portcullis: the tool returned ${formatSize(json.length)}; only the first ${formatSize(capChars)} are shown.]`;
  const text = textContent(clean);
  const preview = mask(text ?? json).slice(0, capChars);
  return {
    value: { content: [{ type: 'text', text: `${preview}\n${notice}` }], truncated: true },
    truncated: true,
    originalChars: json.length,
  };
}

export function stripControlChars(text: string): string {
  return stripped(text);
}

/** `stripControlChars` over every string in a value, keys included. */
export function stripControlCharsDeep<T>(value: T): T;
export function stripControlCharsDeep(value: unknown): unknown {
  if (typeof value === 'string') return stripped(value);
  if (Array.isArray(value)) return value.map(stripControlCharsDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[stripped(key)] = stripControlCharsDeep(item);
    return out;
  }
  return value;
}

/** The text parts of an MCP result, joined; undefined when the value is not one. */
function textContent(value: unknown): string | undefined {
  const content = (value as { content?: unknown } | null)?.content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.filter((p): p is { type: 'text'; text: string } => p?.type === 'text' && typeof p.text === 'string');
  return texts.length ? texts.map((p) => p.text).join('\n') : undefined;
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}
