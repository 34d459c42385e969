/**
 * How a file path reads to the person in the approval dialog's title, its preview and a call's one-line summary:
 * the file the tool will take, not the text the model wrote. Core and the renderer both need it, so it lives here
 * and imports nothing (no `node:path`).
 */

/** Characters that change how a name looks without being seen: controls, zero-width marks, bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu;

/** `text` with each invisible character spelled out as its escape (`\u202e`), so a name cannot read as another. */
export function spellOutInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Windows takes `\` as a separator too; elsewhere it is a character of a name. Node and browsers both say `Win32`. */
const ON_WINDOWS = /^Win/.test((globalThis as { navigator?: { platform?: string } }).navigator?.platform ?? '');

/**
 * A path with `.` and `..` resolved as the file tools resolve them, as Node's `path.normalize` does on this
 * platform: "notes/todo.md      /../../run.sh" is `run.sh` (the page folds the spaces, so the raw text read as
 * notes/todo.md). A `..` above the start of a relative path stays; above the root of an absolute one it is dropped.
 */
export function normalizePath(path: string, windows = ON_WINDOWS): string {
  const separators = windows ? /[\\/]/ : /\//;
  const separator = windows ? '\\' : '/';
  const drive = windows ? (/^[A-Za-z]:/.exec(path)?.[0] ?? '') : '';
  const rest = path.slice(drive.length);
  const absolute = separators.test(rest.charAt(0));
  const kept: string[] = [];
  for (const segment of rest.split(separators)) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') kept.push(segment);
    else if (kept.length > 0 && kept.at(-1) !== '..') kept.pop();
    else if (!absolute) kept.push('..');
  }
  const body = kept.join(separator);
  const trailing = body !== '' && separators.test(rest.charAt(rest.length - 1)) ? separator : '';
  if (absolute) return `${drive}${separator}${body}${trailing}`;
  return `${drive}${body === '' ? '.' : body}${trailing}`;
}

/**
 * A path argument as the person should read it: resolved (`normalizePath`) and with invisible characters spelled
 * out ("\u202e"), so the words name the very file that will change. The full arguments still show what was sent.
 */
export function shownPath(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  return spellOutInvisible(normalizePath(value));
}
