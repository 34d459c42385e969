import { isInside } from '../policy/matchers/resolve-path';
import { shellQuote } from './sandbox-command';
import { realPathOrGiven } from './real-path-or-given';

/** A place a server may read whose name in the home folder leads out of it (`~/.nix-profile` → `/nix/var/…`). */
export interface LinkOut {
  name: string;
  target: string;
}

/**
 * The places among `granted` whose name leads out of the home folder, and where. sandbox-runtime binds a re-allowed
 * place back only when it resolves inside the hidden folder, so such a name would be missing inside the sandbox
 * (Nix's `~/.nix-profile/bin` on the PATH, a runtime folder moved to another disk); its target, outside, is readable.
 * Not one leading into what no server may read, nor one holding another granted place (its folders are made there).
 */
export function linksOut(granted: readonly string[], home: string, denied: readonly string[]): LinkOut[] {
  const realHome = realPathOrGiven(home);
  return granted.flatMap((name) => {
    const target = realPathOrGiven(name);
    if (target === name || !isInside(name, home, false) || isInside(target, realHome, false)) return [];
    if (denied.some((d) => isInside(target, d, false) || isInside(d, target, false))) return [];
    if (granted.some((other) => other !== name && isInside(other, name, false))) return [];
    return [{ name, target }];
  });
}

/**
 * bubblewrap's command line with a private home folder finished. sandbox-runtime hides a denied folder under an empty
 * tmpfs, which is writable: a server writing `~/memory.json` would be told it succeeded and lose the file when it
 * stops, where a read-only home refused it (EROFS) and its row offered a grant. So the links out of it are made
 * there, then the tmpfs is remounted read-only, once every mount is placed: just before bubblewrap's `--` (what it
 * bound back writable stays writable). Unchanged when the line is not as expected (a later sandbox-runtime): writes
 * then vanish (they still never land) and the links are missing.
 */
export function finishPrivateHome(argv: readonly string[], home: string, links: readonly LinkOut[] = []): string[] {
  const out = [...argv];
  const at = out.findIndex((word) => word.startsWith('bwrap '));
  if (at < 0) return out;
  const realHome = realPathOrGiven(home);
  const folder = shellQuote(realHome);
  const line = out[at]!;
  const hidden = line.indexOf(` --tmpfs ${folder} `);
  const end = hidden < 0 ? -1 : line.indexOf(' -- ', hidden);
  if (end < 0) return out;
  const made = links.map(({ name, target }) => ` --symlink ${shellQuote(target)} ${shellQuote(realHome + name.slice(home.length))}`).join('');
  out[at] = `${line.slice(0, end)}${made} --remount-ro ${folder}${line.slice(end)}`;
  return out;
}
