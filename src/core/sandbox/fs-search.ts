import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AppError } from '../../shared/errors';
import { caseInsensitiveFileSystem, isInside } from '../policy/matchers/resolve-path';
import { MAX_READ_BYTES } from './fs-operations';
import { isGuardedHardLink } from './guarded-hard-link';
import { confirmOpened } from './opened-file';
import { resolveInWorkspace, workspaceRoot } from './workspace-path';
import type { WorkspaceScope } from './workspace-scope';
import { decodeText } from './file-text';

/**
 * fs.search's code, in two steps that run in the tool worker: the files under a folder, then the names and text
 * lines holding a phrase among them. Between the two, the runtime decides which files' text may be read
 * (`ReadableSearchRunner`): a file the policy keeps from fs.read is never opened, so a search cannot be used to
 * probe what it holds.
 */

/** The worker's names for the two steps; not tools of their own (the registry does not know them). */
export const SEARCH_STEPS = { files: 'fs.search:files', lines: 'fs.search:lines' } as const;

const MAX_SEARCHED_FILES = 5_000;
/** A line longer than this is shown around its match. */
const LINE_CHARS = 200;
/** Folders no one means to search, and that would use up the file budget: version control and dependencies. */
const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.svn', 'node_modules']);

/** The files under `path`, breadth first, as workspace paths ("notes/a.md"); links are not followed. */
export async function listSearchable(workspace: WorkspaceScope, path: string): Promise<{ files: string[]; capped: boolean }> {
  const root = await workspaceRoot(workspace.root);
  const start = await resolveInWorkspace(workspace.root, path, workspace.offLimits);
  const files: string[] = [];
  const folders = [start];
  while (folders.length > 0) {
    const folder = folders.shift()!;
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folder === start) throw new AppError('TOOL_FAILED', `Cannot search "${path}": ${(error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'it is a file, not a folder' : 'there is no such folder in the workspace'}.`);
      continue; // a folder the sandbox or the file system will not open is passed over
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const at = join(folder, entry.name);
      if (entry.isFile()) {
        if (files.length === MAX_SEARCHED_FILES) return { files, capped: true };
        files.push(relative(root, at).split(sep).join('/'));
      } else if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name) && !workspace.offLimits.some((f) => isInside(at, f, caseInsensitiveFileSystem))) {
        folders.push(at);
      }
    }
  }
  return { files, capped: false };
}

/** A file whose name holds the phrase (`line` null), or one line of a file that does. */
export interface SearchMatch {
  path: string;
  line: number | null;
  text: string | null;
}

export interface SearchResult {
  query: string;
  path: string;
  matches: SearchMatch[];
  filesSearched: number;
  /** True when the search stopped at its limit of matches or of files: there may be more. */
  truncated: boolean;
  /** Files whose text was not read: too large, not text, or not readable under the policy. */
  skipped: { large: number; binary: number; notReadable: number };
}

/** Among `files`, the names holding the phrase, and the lines holding it of those whose text may be read. */
export async function searchFiles(workspace: WorkspaceScope, query: string, path: string, files: readonly { path: string; read: boolean }[], limit: number): Promise<SearchResult> {
  const phrase = query.trim().toLowerCase();
  if (phrase === '') throw new AppError('TOOL_ARGUMENTS_INVALID', 'fs.search needs words to look for in "query".');
  const result: SearchResult = { query, path, matches: [], filesSearched: 0, truncated: false, skipped: { large: 0, binary: 0, notReadable: 0 } };
  for (const file of files) {
    if (result.matches.length >= limit) break;
    result.filesSearched++;
    if (file.path.toLowerCase().includes(phrase)) result.matches.push({ path: file.path, line: null, text: null });
    if (!file.read) result.skipped.notReadable++;
    // A file that cannot be read now (gone, its permissions, the sandbox) is passed over.
    else await searchLines(workspace, file.path, phrase, limit, result).catch(() => undefined);
  }
  result.truncated = result.matches.length >= limit;
  return result;
}

async function searchLines(workspace: WorkspaceScope, path: string, phrase: string, limit: number, result: SearchResult): Promise<void> {
  // Checked again: the list was made a moment ago, and a file may have been swapped for a link since.
  const target = await resolveInWorkspace(workspace.root, path, workspace.offLimits);
  // O_NONBLOCK: a file swapped for a named pipe since it was listed opens at once, and is passed over below.
  const handle = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  let bytes: Buffer;
  try {
    await confirmOpened(handle, target, path);
    const opened = await handle.stat();
    // What fs.read would refuse to read (`isGuardedHardLink`, not a regular file), a search does not look inside either.
    if (isGuardedHardLink(opened) || !opened.isFile()) {
      result.skipped.notReadable++;
      return;
    }
    if (opened.size > MAX_READ_BYTES) {
      result.skipped.large++;
      return;
    }
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  // As fs.read reads it: Excel's UTF-16 "Unicode text" is text, a workbook or a PDF is not.
  const text = decodeText(bytes);
  if (typeof text !== 'string') {
    result.skipped.binary++;
    return;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && result.matches.length < limit; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const at = line.toLowerCase().indexOf(phrase);
    if (at >= 0) result.matches.push({ path, line: i + 1, text: around(line, at, phrase.length) });
  }
}

/** The line, or LINE_CHARS of it centred on the match, marked … where cut. */
function around(line: string, at: number, length: number): string {
  if (line.length <= LINE_CHARS) return line;
  const from = Math.max(0, Math.min(at - Math.floor((LINE_CHARS - length) / 2), line.length - LINE_CHARS));
  return `${from > 0 ? '…' : ''}${line.slice(from, from + LINE_CHARS)}${from + LINE_CHARS < line.length ? '…' : ''}`;
}
