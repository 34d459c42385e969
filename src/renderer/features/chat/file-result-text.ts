/** A result that carries a file's text: a built-in read's `{path, content}` (its `bytes` beside). */
export interface FileResultText {
  path?: string;
  content: string;
}

/**
 * The text a non-MCP result carries, when it is a file's (`content` a string), else undefined: drawn as that text
 * rather than as JSON, whose escapes ("month,…\nQ3,…") made a file read unreadable on its card, the card a search
 * hit in the file opens.
 */
export function fileResultText(value: unknown): FileResultText | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { content, path } = value as Record<string, unknown>;
  if (typeof content !== 'string') return undefined;
  return typeof path === 'string' ? { path, content } : { content };
}
