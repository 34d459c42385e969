import { realpathSync } from 'node:fs';
import { shellQuote } from './sandbox-command';

/**
 * bubblewrap's command line with a private home folder kept read-only. sandbox-runtime hides a denied folder under
 * an empty tmpfs, which is writable: a server writing `~/memory.json` would be told it succeeded and lose the file
 * when it stops, where a read-only home refused it (EROFS) and its row offered a grant. The tmpfs is remounted
 * read-only once every mount is placed, just before bubblewrap's `--` (what it bound back writable stays writable).
 * Unchanged when the line is not as expected (a later sandbox-runtime): writes then vanish, they still never land.
 */
export function keepHomeReadOnly(argv: readonly string[], home: string): string[] {
  const out = [...argv];
  const at = out.findIndex((word) => word.startsWith('bwrap '));
  if (at < 0) return out;
  const folder = shellQuote(canonical(home));
  const line = out[at]!;
  const hidden = line.indexOf(` --tmpfs ${folder} `);
  const end = hidden < 0 ? -1 : line.indexOf(' -- ', hidden);
  if (end < 0) return out;
  out[at] = `${line.slice(0, end)} --remount-ro ${folder}${line.slice(end)}`;
  return out;
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
