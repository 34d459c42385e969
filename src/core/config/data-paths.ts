import { mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataPaths {
  dataDir: string;
  workspace: string;
  /** `portcullis.db`: conversations, messages, tool calls, approvals, memories, settings, the audit chain. */
  databaseFile: string;
  /** `traces.db`: spans and their counters (docs/storage.md says why they have their own file). */
  tracesFile: string;
}

/**
 * The platform's app-data folder, as Electron's `userData` would choose it, so the desktop app and the headless
 * host share one place by default. Linux follows XDG.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Portcullis');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Portcullis');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'portcullis');
}

/** Where "Export everything" (the `data.export` call) writes its files. */
export function exportsFolder(dataDir: string): string {
  return join(dataDir, 'exports');
}

/** Resolves and creates the data folder and the workspace (by default a folder inside the data folder). */
export function prepareDataPaths(options: { dataDir?: string; workspace?: string } = {}): DataPaths {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const workspace = resolve(options.workspace ?? join(dataDir, 'workspace'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(workspace, { recursive: true });
  // The tools may touch everything in the workspace, and the data folder is off limits to them: they cannot be one folder.
  if (realpathSync(workspace) === realpathSync(dataDir)) {
    throw new Error(`The workspace and the data folder are the same folder (${dataDir}): tools would reach Portcullis's own databases. Choose another workspace.`);
  }
  return { dataDir, workspace, databaseFile: join(dataDir, 'portcullis.db'), tracesFile: join(dataDir, 'traces.db') };
}
