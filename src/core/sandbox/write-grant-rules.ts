import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { isInside } from '../policy/matchers/resolve-path';
import { credentialPaths } from './read-denials';
import { realPathOrGiven } from './real-path-or-given';

/** Where Portcullis keeps what no server may write, and where the person's own folders are. */
export interface WriteGrantPlaces {
  dataDir: string;
  workspace: string;
  /** The person's home folder (default: the OS's, read when asked, as the sandbox reads it). */
  home?: string;
  /** Folders holding the program Portcullis runs on (default: the folder of this process's executable). */
  programFolders?: string[];
  /** The folders of the person's PATH (default: this process's PATH). */
  pathFolders?: string[];
}

/** Why a folder is never one click from being writable for a server; `byHand`: mcp.json can still grant it. */
export interface WriteGrantRefusal {
  why: string;
  byHand: boolean;
}

/** Every folder's refusal where no rules for write grants were given: without them, none is one click away. */
export const NO_WRITE_GRANT_RULES: WriteGrantRefusal = { why: 'no rules for write grants are set here', byHand: true };

/** The system's own folders (Linux, macOS): what a server writes there outlives it and reaches every program. */
/**
 * Folders of the home folder whose programs run on their own, not hidden by a dot: `~/bin`, which a login's profile
 * puts on the PATH when it exists, Go's `~/go/bin`, and macOS' `~/Library` (LaunchAgents start at login; apps'
 * settings, as `~/.config` holds them on Linux) and Windows' `~/AppData` (the Startup folder).
 */
const HOME_PROGRAM_FOLDERS = ['bin', join('go', 'bin'), 'Library', 'AppData'];

const SYSTEM_FOLDERS = [
  '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/nix', '/opt', '/proc', '/root', '/run', '/sbin', '/snap', '/srv', '/sys', '/usr', '/var',
  '/Applications', '/Library', '/System', '/private', '/cores',
];

/**
 * Why `folder` must not be offered as a one-click write grant (null: it may be). Never: Portcullis's data folder
 * (the sandbox refuses that grant anyway) or a folder holding it; the filesystem's root, a folder at its top or a
 * system folder; the home folder itself; credentials, or a folder holding them; a hidden folder (`.config`,
 * `.git`, `.vscode`…: settings, hooks and startup files that run code outside the sandbox); a folder of the PATH in
 * the home folder, `~/bin` or macOS' `~/Library` (programs that run in place of a command or at login); the program
 * Portcullis runs on. Each is checked as written and as its links resolve, so a link named like a harmless folder is no way in.
 */
export function writeGrantRefusal(folder: string, places: WriteGrantPlaces): WriteGrantRefusal | null {
  if (!isAbsolute(folder)) return { why: `${folder} is not a full path`, byHand: true };
  const written = resolve(folder);
  const real = realPathOrGiven(written);
  const seen = real === written ? [written] : [written, real];
  for (const path of seen) {
    const refusal = refusalOf(path, places);
    if (refusal) return path === written ? refusal : { ...refusal, why: `${written} leads to ${real}: ${refusal.why}` };
  }
  return null;
}

function refusalOf(folder: string, places: WriteGrantPlaces): WriteGrantRefusal | null {
  const home = resolve(places.home ?? homedir());
  const dataDir = resolve(places.dataDir);
  const workspace = resolve(places.workspace);
  const inside = (root: string) => isInside(folder, root, false);
  const holds = (path: string) => isInside(path, folder, false);
  const never = (why: string): WriteGrantRefusal => ({ why, byHand: false });
  const byHand = (why: string): WriteGrantRefusal => ({ why, byHand: true });

  const workspaceInData = isInside(workspace, dataDir, false);
  if (inside(dataDir) && !(workspaceInData && inside(workspace))) return never(`${folder} is inside Portcullis's data folder, which no server may write`);
  if (dirname(folder) === folder) return byHand(`${folder} is the root of the filesystem`);
  if (folder === home) return byHand(`${folder} is your home folder`);
  const own = inside(home) || inside(workspace);
  if (!own && SYSTEM_FOLDERS.some(inside)) return byHand(`${folder} is a system folder`);
  if (!own && dirname(dirname(folder)) === dirname(folder)) return byHand(`${folder} is a folder at the top of the filesystem`);
  if (credentialPaths().some((path) => inside(path) || holds(path))) return byHand(`${folder} holds credentials`);
  const base = inside(workspace) ? workspace : inside(home) ? home : parse(folder).root;
  if (relative(base, folder).split(sep).some((part) => part.startsWith('.'))) {
    return byHand(`${folder} is a hidden folder, where settings, credentials and scripts that run on their own are kept`);
  }
  // A program written to a folder of the PATH runs, outside any sandbox, in place of the one the person types.
  const pathFolders = (places.pathFolders ?? (process.env['PATH'] ?? '').split(delimiter)).filter((dir) => isAbsolute(dir) && isInside(resolve(dir), home, false) && resolve(dir) !== home);
  const programsOfHome = [...pathFolders.map((dir) => resolve(dir)), ...HOME_PROGRAM_FOLDERS.map((name) => join(home, name))];
  const runs = programsOfHome.find((dir) => inside(dir) || holds(dir));
  if (runs) {
    // "~/bin is ~/bin" said nothing: the folder itself is said once, one inside it or holding it names it.
    const where = folder === runs ? 'is' : `${inside(runs) ? 'is inside' : 'holds'} ${runs},`;
    return byHand(`${folder} ${where} where programs are kept that run on their own or in place of the commands you type`);
  }
  if (holds(dataDir)) return byHand(`${folder} holds Portcullis's data folder`);
  const programs = places.programFolders ?? [dirname(process.execPath)];
  if (programs.some((program) => holds(program) || inside(program))) return byHand(`${folder} holds the program Portcullis runs on`);
  return null;
}
