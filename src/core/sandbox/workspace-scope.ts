import { resolve } from 'node:path';
import { isInside } from '../policy/matchers/resolve-path';

/** Where the built-in tools may work: one folder, minus the folders inside it they may never touch. */
export interface WorkspaceScope {
  root: string;
  /**
   * Folders inside `root` that no tool may list, read or write: Portcullis's own data folder (its databases,
   * traces, exports, policy and server config) when the workspace holds it, as a workspace set to the home
   * folder does. Node's permission model can only allow paths, so the worker's path checks are this wall.
   */
  offLimits: readonly string[];
}

/**
 * The tools' scope for a workspace. The data folder is off limits whenever the workspace holds it; when the data
 * folder holds the workspace (the default layout), the path checks keep every tool inside the workspace anyway.
 */
export function workspaceScope(workspace: string, dataDir?: string): WorkspaceScope {
  const root = resolve(workspace);
  const data = dataDir === undefined ? undefined : resolve(dataDir);
  return { root, offLimits: data !== undefined && !isInside(root, data, false) ? [data] : [] };
}
