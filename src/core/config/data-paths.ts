import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError, messageOf } from '../../shared/errors';

export interface DataPaths {
  dataDir: string;
  workspace: string;
  /** `portcullis.db`: conversations, messages, tool calls, approvals, memories, settings, the audit chain. */
  databaseFile: string;
  /** `traces.db`: spans and their counters (docs/storage.md says why they have their own file). */
  tracesFile: string;
}

/**
 * The platform's app-data folder, where both the desktop app and the command line keep their data unless
 * `--data-dir` says otherwise (the desktop app sets Electron's `userData` to it). Linux follows XDG.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Portcullis');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Portcullis');
  const xdg = join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'portcullis');
  if (existsSync(join(xdg, 'portcullis.db'))) return xdg;
  // The desktop app once kept its data where Electron puts it by default on Linux (~/.config/Portcullis, or
  // portcullis when run from source), apart from the command line's: a database there is still where it is.
  const config = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return [join(config, 'Portcullis'), join(config, 'portcullis')].find((folder) => existsSync(join(folder, 'portcullis.db'))) ?? xdg;
}

/** Where "Export everything" (the `data.export` call) writes its files. */
export function exportsFolder(dataDir: string): string {
  return join(dataDir, 'exports');
}

/** The folder the tools work in when neither `--workspace` nor Settings chose another. */
export function defaultWorkspace(dataDir: string): string {
  return join(resolve(dataDir), 'workspace');
}

/**
 * Creates `folder` (and those above it), or says why it cannot be as what it is and what to do (a start stopped here
 * printed Node's stack trace): `name` is how the errors call it, `option` the command-line option that picks another.
 */
function makeFolder(folder: string, { name, nameAsFolder, option, mode }: { name: string; nameAsFolder: string; option: string; mode?: number }): void {
  try {
    mkdirSync(folder, { recursive: true, ...(mode === undefined ? {} : { mode }) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      'VALIDATION_FAILED',
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `The ${name} ${folder} is not a folder: a file has that name. Give ${option} a folder, or move the file away.`
        : `The ${nameAsFolder} ${folder} could not be created (${messageOf(error)}). Give ${option} a folder you can write to.`,
    );
  }
}

/**
 * Resolves and creates the data folder, and names its databases. The workspace comes after: the folder chosen in
 * Settings is stored in the database, so it is known only once the database is open.
 */
export function prepareDataFolder(dataDir?: string): Omit<DataPaths, 'workspace'> {
  const paths = dataFolderPaths(dataDir);
  makeFolder(paths.dataDir, { name: 'data folder', nameAsFolder: 'data folder', option: '--data-dir', mode: 0o700 });
  return paths;
}

/** The data folder and its databases' files, resolved, with nothing created (for a command that only reads them). */
export function dataFolderPaths(dataDir?: string): Omit<DataPaths, 'workspace'> {
  const folder = resolve(dataDir ?? defaultDataDir());
  return { dataDir: folder, databaseFile: join(folder, 'portcullis.db'), tracesFile: join(folder, 'traces.db') };
}

/** Resolves and creates the data folder and the workspace (by default a folder inside the data folder). */
export function prepareDataPaths(options: { dataDir?: string; workspace?: string } = {}): DataPaths {
  return withWorkspace(prepareDataFolder(options.dataDir), options.workspace);
}

/** Adds the workspace (created if missing) to a data folder already prepared. */
export function withWorkspace(folder: Omit<DataPaths, 'workspace'>, workspaceFolder?: string): DataPaths {
  const { dataDir } = folder;
  const workspace = resolve(workspaceFolder ?? defaultWorkspace(dataDir));
  makeFolder(workspace, { name: 'workspace', nameAsFolder: 'workspace folder', option: '--workspace' });
  // The tools may touch everything in the workspace, and the data folder is off limits to them: they cannot be one folder.
  if (realpathSync(workspace) === realpathSync(dataDir)) {
    throw new AppError('VALIDATION_FAILED', `The workspace and the data folder are the same folder (${dataDir}): tools would reach Portcullis's own databases. Choose another workspace.`);
  }
  return { ...folder, workspace };
}
