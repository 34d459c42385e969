import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { SandboxGrants, UnwritableFolder } from '../../shared/domain/tool-catalog';
import { isInside } from '../policy/matchers/resolve-path';
import { folderOfWrite, isFolder } from '../sandbox/refused-write';
import type { WriteGrantRefusal } from '../sandbox/write-grant-rules';
import type { EnvironmentPath } from './environment-paths';
import { expandHome } from './home-path';

/** Whether its sandbox lets a server write in `folder`: inside a granted folder or its package cache. */
export function writableFor(folder: string, grants: SandboxGrants): boolean {
  return [...grants.writable, ...(grants.packageCache ? [grants.packageCache] : [])].some((root) => isInside(folder, root, false));
}

/**
 * The existing folders a server's arguments name, as server-filesystem takes the folders it may work in
 * (`~/notes` as a shell reads it). An option's value (`--directory /srv/app`, often the server's own code) is not
 * one: what the option means cannot be told from here.
 */
export function namedFolders(args: readonly string[]): string[] {
  const folders = args.flatMap((arg, i) => {
    const previous = args[i - 1];
    if (previous !== undefined && previous.startsWith('-') && !previous.includes('=')) return [];
    const path = expandHome(arg);
    return isAbsolute(path) && isFolder(path) ? [resolve(path)] : [];
  });
  return [...new Set(folders)];
}

/**
 * A sandboxed server's folders it may not write, for its row: those its calls were refused writing in, then those
 * its arguments name, then those holding a file its env names (its data file: the folder is what a server that
 * writes it whole, or makes it, needs), each once, with why it is not offered as a grant where a rule keeps it from
 * being one click. An env path is never written without the person's click: a pasted config's `MEMORY_FILE_PATH`
 * could as well name `~/.bashrc`.
 */
export function unwritableFolders(o: {
  server: string;
  refused: readonly string[];
  named: readonly string[];
  environment?: readonly EnvironmentPath[];
  grants: SandboxGrants;
  refusal: (folder: string) => WriteGrantRefusal | null;
}): UnwritableFolder[] {
  const out: UnwritableFolder[] = [];
  const add = (folder: string, seen: UnwritableFolder['seen'], environment?: EnvironmentPath) => {
    if (writableFor(folder, o.grants) || out.some((f) => f.folder === folder)) return;
    const refusal = o.refusal(folder);
    // A data file its env names in a folder never offered (the home folder itself, as pasted configs often have it):
    // the fix to offer is the file's place, not granting that folder by hand.
    const elsewhere = refusal && environment && environment.path !== folder ? ` ${movedDataFileAdvice(o.server, environment)}` : '';
    out.push({ folder, seen, notOffered: refusal ? `${notOfferedWords(o.server, refusal)}${elsewhere}` : null, ...(environment ? { environment: { ...environment } } : {}) });
  };
  for (const folder of o.refused) add(folder, 'refused');
  for (const folder of o.named) add(folder, 'named');
  for (const named of o.environment ?? []) {
    if (writableFor(named.path, o.grants)) continue;
    if (isFolder(named.path)) {
      add(named.path, 'environment', named);
      continue;
    }
    const problem = unusablePathProblem(named.path, o.refusal);
    const folder = problem ? dirname(named.path) : folderOfWrite(named.path);
    if (!problem) add(folder, 'environment', named);
    else if (!out.some((f) => f.folder === folder)) {
      // Granting a folder above would not make the path work (a file is in the way), or would grant one never offered
      // (the filesystem's root, the home folder): the fix is the path, or the folder it names, not a click here.
      const fix = problem.kind === 'file' ? `correct ${named.variable} of ${o.server} in mcp.json` : `create that folder, or correct ${named.variable} of ${o.server} in mcp.json`;
      out.push({ folder, seen: 'environment', environment: { ...named, problem: problem.words }, notOffered: `No grant here makes it work: ${fix}.` });
    }
  }
  return out;
}

/**
 * Why a write to `path` cannot work whatever is granted, as things are: a part of it is a file (`notes.txt` in
 * `notes.txt/memory.db`), or its folder does not exist and the nearest folder that does may not be offered (the
 * root, the home folder), so offering it would only say why not. Null when its folder exists, or the nearest one
 * may be offered (a server that makes its folder needs to write there).
 */
function unusablePathProblem(path: string, refusal: (folder: string) => WriteGrantRefusal | null): { kind: 'file' | 'missing'; words: string } | null {
  const folder = dirname(path);
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!isFolder(existing)) return { kind: 'file', words: `${existing} is a file, not a folder` };
  if (existing === folder || refusal(existing) === null) return null;
  return { kind: 'missing', words: `its folder ${folder} does not exist` };
}

/** Where to put a data file instead, as an example path to paste (server-memory's memory.jsonl in ~/Documents). */
function movedDataFileAdvice(server: string, { variable, path }: EnvironmentPath): string {
  return `Or point it elsewhere: set "env": { "${variable}": "~/Documents/${basename(path)}" } of ${server} in mcp.json (or a file in another folder of yours), then allow ${server} to write that folder on its row.`;
}

/** A refusal as the row (and a refused grant) says it. */
export function notOfferedWords(server: string, refusal: WriteGrantRefusal): string {
  return refusal.byHand
    ? `It is not offered here: ${refusal.why}. If you really mean it, add the folder to "sandbox": { "allowWrite": [...] } of ${server} in mcp.json.`
    : `It is not offered: ${refusal.why}.`;
}
