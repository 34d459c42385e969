import { existsSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { HomeAccess, ReadGrant } from '../../shared/domain/tool-catalog';
import { expandHome } from '../mcp/home-path';
import { isInside } from '../policy/matchers/resolve-path';
import { isFolder } from './refused-write';
import { runtimePlaces } from './runtime-places';

/** What one server gives the sandbox to decide what of the home folder it may read. */
export interface HomeReadInputs {
  home: string;
  workspace: string;
  /** Its `sandbox.readHome`: the whole home folder but the credentials, as before the home folder was private. */
  readHome: boolean;
  /** Its `sandbox.allowRead`, resolved as `allowWrite` is (`~`, relative = in the workspace). */
  allowRead: readonly string[];
  /** Its write grants, resolved; they are readable too. */
  writable: readonly string[];
  packageCache: string | null;
  command: string;
  args: readonly string[];
  cwd?: string;
  /** The PATH the server runs with: its folders in the home folder are runtimes' (nvm's node, ~/.local/bin's uvx). */
  pathVariable?: string;
  /** Files the server's environment points at (extra CA certificates), which its runtime reads at start. */
  environmentFiles?: readonly string[];
  /** The paths its `env` names (environment-paths.ts): its data file, as `MEMORY_FILE_PATH` names server-memory's. */
  environmentPaths?: readonly string[];
  /** What no server may read (credentials, the data folder): a read grant at or inside one of them is dropped. */
  denied: readonly string[];
}

/** What of the home folder a server may read: `home` says whether all of it (but credentials), `grants` what else. */
export interface HomeReads {
  home: HomeAccess;
  grants: ReadGrant[];
}

/** What marks a folder as a program's own (its dependencies, its virtualenv, its .env live beside its entry file). */
const PROJECT_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'requirements.txt', 'Cargo.toml', 'go.mod', 'deno.json', 'Gemfile', 'pom.xml', 'build.gradle', '.git', '.venv', 'node_modules'];
/** Files a server's command line runs (its entry script): its program folder is granted, not only the file. */
const SCRIPT_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.py', '.rb', '.php', '.pl', '.lua', '.sh', '.jar', '.exe']);

/**
 * What of the home folder a sandboxed server may read. By default only: the workspace, its write grants, its
 * `allowRead`, the paths its command, arguments and `cwd` name (`server-filesystem ~/Documents` reads ~/Documents; a
 * script's program folder), the paths its `env` names (each file or folder alone), its package launcher's cache,
 * and the places runtimes live (runtime-places.ts, the PATH's folders). All of it but credentials when it says `readHome`, or when the workspace, an `allowRead` entry
 * or its arguments name the home folder itself or a folder holding it.
 */
export function homeReads(o: HomeReadInputs): HomeReads {
  const home = resolve(o.home);
  const holdsHome = (path: string) => isInside(home, path, false);
  const named = namedPaths(o.command, o.args, o.cwd);
  const access: HomeAccess = o.readHome
    ? 'readHome'
    : holdsHome(o.workspace)
      ? 'workspace'
      : o.allowRead.some(holdsHome)
        ? 'allowRead'
        : named.some((n) => !n.cwd && holdsHome(n.path))
          ? 'arguments'
          : 'private';
  const grants: ReadGrant[] = [];
  const add = (path: string, from: ReadGrant['from']) => {
    if (!grants.some((g) => g.path === path)) grants.push({ path, from });
  };
  // What is inside the workspace is readable though the workspace lies in a denied folder (the data folder, in the
  // default layout); a deny inside the workspace still drops it.
  const holdsWorkspace = (d: string) => isInside(o.workspace, d, false);
  const allowed = (path: string) => !o.denied.some((d) => isInside(path, d, false) && !(holdsWorkspace(d) && isInside(path, o.workspace, false)));
  add(resolve(o.workspace), 'workspace');
  for (const path of o.writable) add(path, 'write');
  if (o.packageCache) add(o.packageCache, 'packageCache');
  for (const path of o.allowRead) if (allowed(path)) add(path, 'allowRead');
  // One already readable (a file in the workspace) gets no grant of its own: a grant at a workspace secret's own path
  // gave it back past its hiding, though its row said it was hidden (its allowRead alone gives it back).
  const covered = (path: string) => grants.some((g) => isInside(path, g.path, false));
  for (const { path, cwd } of named) {
    if (!isInside(path, home, false) || path === home || !allowed(path)) continue;
    const granted = cwd ? path : programFolder(path, home);
    if (allowed(granted) && !covered(granted)) add(granted, 'arguments');
  }
  // A path its env names is the person's word as an argument is (server-memory's MEMORY_FILE_PATH): that file or
  // folder alone, never the home folder itself, a credential or the data folder, nor one already readable.
  for (const path of o.environmentPaths ?? []) {
    if (isInside(path, home, false) && path !== home && !covered(path) && allowed(path) && existsSync(path)) add(path, 'environment');
  }
  for (const path of [...runtimePlaces(home), ...pathFolders(o.pathVariable, home), ...(o.environmentFiles ?? [])]) {
    const covered = grants.some((g) => isInside(path, g.path, false));
    if (isInside(path, home, false) && path !== home && !covered && allowed(path) && existsSync(path)) add(path, 'runtime');
  }
  return { home: access, grants };
}

/** The existing paths a command line names: the command, each argument and each `--option=value`'s value, and `cwd`. */
function namedPaths(command: string, args: readonly string[], cwd: string | undefined): { path: string; cwd: boolean }[] {
  const words = [command, ...args].flatMap((word) => {
    const value = /^--?[\w-]+=(.+)$/.exec(word)?.[1];
    return value === undefined ? [word] : [word, value];
  });
  const paths = words.flatMap((word) => {
    const expanded = expandHome(word);
    if (!isAbsolute(expanded) && (cwd === undefined || expanded.startsWith('-'))) return [];
    const path = resolve(cwd ?? '/', expanded);
    return existsSync(path) ? [{ path, cwd: false }] : [];
  });
  if (cwd !== undefined) paths.push({ path: resolve(expandHome(cwd)), cwd: true });
  return paths;
}

/**
 * What to grant for a path the command line names: a folder as it is; an entry script's program folder (the nearest
 * folder above it with a project's marker, else its own folder), never the home folder itself; any other file alone.
 */
function programFolder(path: string, home: string): string {
  if (isFolder(path) || !isScript(path)) return path;
  // Not up to a hidden folder at the home folder's top (`~/.config` kept in git would be every app's settings).
  const top = (dir: string) => dirname(dir) === home && basename(dir).startsWith('.');
  for (let dir = dirname(path); dir !== home && isInside(dir, home, false) && !top(dir); dir = dirname(dir)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
  }
  return dirname(path) === home ? path : dirname(path);
}

/** A file a command line runs: a script by its extension, or an executable file without one (not a config file). */
function isScript(path: string): boolean {
  const extension = extname(path).toLowerCase();
  if (extension !== '') return SCRIPT_EXTENSIONS.has(extension);
  try {
    return (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * The PATH's folders inside the home folder; for one named `bin` in an installed program's own folder
 * (`~/opt/node/bin` beside `lib`), that folder, where its libraries are. Not a folder at the home folder's top
 * (`~/code/bin` would grant all of `~/code`).
 */
function pathFolders(pathVariable: string | undefined, home: string): string[] {
  return (pathVariable ?? '').split(delimiter).flatMap((dir) => {
    if (!isAbsolute(dir)) return [];
    const folder = resolve(dir);
    const parent = dirname(folder);
    const installed = basename(folder) === 'bin' && isInside(parent, home, false) && parent !== home && dirname(parent) !== home;
    return installed && ['lib', 'libexec'].some((name) => existsSync(join(parent, name))) ? [parent] : [folder];
  });
}

