/** Default cap on what one tool call may hand to the model and the database. */
export const DEFAULT_OUTPUT_CAP_CHARS = 256 * 1024;

// C0 and C1 controls, DEL and the escape character; tab, newline and carriage return are kept.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export interface SanitizedOutput {
  value: unknown;
  truncated: boolean;
  originalChars: number;
}

/**
 * Makes a tool's result safe to show and to hand to the model: control characters (terminal escapes and the
 * like) are stripped from every string, and a result larger than `capChars` (as JSON) is cut down with a notice
 * saying so, in the text the model reads.
 */
export function sanitizeToolOutput(value: unknown, capChars = DEFAULT_OUTPUT_CAP_CHARS): SanitizedOutput {
  const clean = stripControls(value);
  const json = JSON.stringify(clean) ?? 'null';
  if (json.length <= capChars) return { value: clean, truncated: false, originalChars: json.length };
  const notice = `[Output truncated by Portcullis: the tool returned ${formatSize(json.length)}; only the first ${formatSize(capChars)} are shown.]`;
  const text = textContent(clean);
  const preview = (text ?? json).slice(0, capChars);
  return {
    value: { content: [{ type: 'text', text: `${preview}\n${notice}` }], truncated: true },
    truncated: true,
    originalChars: json.length,
  };
}

export function stripControlChars(text: string): string {
  return text.replace(CONTROL, '');
}

function stripControls(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CONTROL, '');
  if (Array.isArray(value)) return value.map(stripControls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key.replace(CONTROL, '')] = stripControls(item);
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
