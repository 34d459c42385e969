/** How a call's arguments read in one line, for titles and cards (core builds approval titles with it too). */

/** `text`, cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const KEY_ARGUMENT_NAMES = ['path', 'url', 'command', 'query', 'name', 'pattern', 'key', 'id'];

/** The one or two arguments that say what a call does, e.g. `path: hello.txt`. */
export function keyArguments(args: unknown): string {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return args === undefined ? '' : truncate(JSON.stringify(args) ?? '', 80);
  }
  const entries = Object.entries(args as Record<string, unknown>);
  const preferred = entries.filter(([key]) => KEY_ARGUMENT_NAMES.includes(key));
  const chosen = (preferred.length > 0 ? preferred : entries).slice(0, 2);
  return chosen
    // One line: a value's own line breaks and runs of spaces read as one space.
    .map(([key, value]) => `${key}: ${truncate(typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : (JSON.stringify(value) ?? ''), 60)}`)
    .join(', ');
}
