import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isInside } from '../policy/matchers/resolve-path';
import { bwrapWords } from './bwrap-words';
import { shellQuote } from './sandbox-command';
import { realPathOrGiven } from './real-path-or-given';

/**
 * bubblewrap's command line with the write grants inside a re-allowed place writable again. sandbox-runtime hides a
 * denied folder (the private home, the data folder) under a tmpfs, binds back the write grants inside it, then binds
 * the re-allowed places read-only, over any write grant inside one: a server granted `<workspace>/out` (the workspace
 * being inside the data folder) would get EROFS there. Each write bind sandbox-runtime made in that folder's block is
 * made again just after the read-only bind holding it, so what it mounts deeper later (masks of secret files, denies)
 * stays on top. Only its own vetted binds are repeated, and only after a place of `allowRead`. Unchanged when the line
 * is not as expected (a later sandbox-runtime): those grants are then read-only. Mounts sandbox-runtime passed through
 * a file are put back on the line for this (bwrap-args-file.ts).
 */
export function bindWritesBackOverReads(argv: readonly string[], allowRead: readonly string[]): string[] {
  const out = [...argv];
  const at = out.findIndex((word) => word.startsWith('bwrap '));
  if (at < 0) return out;
  const line = out[at]!;
  const words = bwrapWords(line);
  const places = new Set(allowRead.map(nameLocation));
  const inserts: { at: number; text: string }[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.text !== '--tmpfs') continue;
    let j = i + 2;
    const writes: { source: string; dest: string }[] = [];
    for (; words[j]?.text === '--bind' && j + 2 < words.length; j += 3) writes.push({ source: words[j + 1]!.text, dest: words[j + 2]!.text });
    for (; words[j]?.text === '--ro-bind' && j + 2 < words.length; j += 3) {
      const dest = words[j + 2]!.text;
      if (!places.has(dest)) continue;
      const inside = writes.filter((w) => w.dest !== dest && isInside(w.dest, dest, false));
      if (inside.length > 0) inserts.push({ at: words[j + 2]!.end, text: inside.map((w) => ` --bind ${shellQuote(w.source)} ${shellQuote(w.dest)}`).join('') });
    }
  }
  let edited = line;
  for (const insert of inserts.reverse()) edited = edited.slice(0, insert.at) + insert.text + edited.slice(insert.at);
  out[at] = edited;
  return out;
}

/**
 * bubblewrap's command line with the tmpfs hiding `folder` made read-only once every mount is placed (just before
 * bubblewrap's `--`): sandbox-runtime's tmpfs is writable, so a server writing there would be told it succeeded and
 * lose the file, where the folder read-only refuses it (EROFS). What was bound back writable stays writable.
 * Unchanged when the line does not hide `folder` under a tmpfs.
 */
export function remountHiddenReadOnly(argv: readonly string[], folder: string): string[] {
  const out = [...argv];
  const at = out.findIndex((word) => word.startsWith('bwrap '));
  if (at < 0) return out;
  const words = bwrapWords(out[at]!);
  const place = realPathOrGiven(folder);
  const hidden = words.findIndex((w, i) => w.text === '--tmpfs' && words[i + 1]?.text === place);
  const end = words.findIndex((w) => w.text === '--');
  if (hidden < 0 || end < hidden) return out;
  const line = out[at]!;
  out[at] = `${line.slice(0, words[end]!.start)}--remount-ro ${shellQuote(place)} ${line.slice(words[end]!.start)}`;
  return out;
}

/** Where sandbox-runtime mounts for `path`: its parent folders resolved, its own name as written. */
function nameLocation(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return path;
  }
}
