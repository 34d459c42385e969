/** How a call's arguments read in one line, for titles and cards (core builds approval titles with it too). */
import { shownPath, spellOutInvisible } from './shown-path';
import { webAddress } from './web-address';

/** `text`, cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const KEY_ARGUMENT_NAMES = ['path', 'file_path', 'url', 'command', 'query', 'name', 'pattern', 'key', 'id'];

/** The one or two arguments that say what a call does, e.g. `path: hello.txt`. */
export function keyArguments(args: unknown): string {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return args === undefined ? '' : truncate(JSON.stringify(args) ?? '', 80);
  }
  const entries = Object.entries(args as Record<string, unknown>);
  // A web address is where the call reaches, whatever its argument is called (server-everything takes one in `data`).
  const preferred = entries.filter(([key, value]) => KEY_ARGUMENT_NAMES.includes(key) || (typeof value === 'string' && webAddress(value) !== null));
  const chosen = (preferred.length > 0 ? preferred : entries).slice(0, 2);
  return chosen.map(([key, value]) => `${key}: ${shownValue(key, value)}`).join(', ');
}

/** The names tools give a file path: `path`, a coding agent's `file_path`, a move's `source` and `destination`. */
const PATH_ARGUMENT = /^(?:path|file|filename|filepath|source|destination)$|_path$/u;

/**
 * One argument's value in one line. A path reads as the file it names (`shownPath`: `..` resolved, invisible
 * characters spelled out), cut from its start so the file's own name stays; any other text has its line breaks
 * and runs of spaces read as one space, and its invisible characters spelled out.
 */
function shownValue(key: string, value: unknown): string {
  if (typeof value === 'string' && PATH_ARGUMENT.test(key)) {
    const path = shownPath(value);
    return path.length > 60 ? `…${path.slice(path.length - 59)}` : path;
  }
  return truncate(typeof value === 'string' ? spellOutInvisible(value.replace(/\s+/g, ' ').trim()) : (JSON.stringify(value) ?? ''), 60);
}
