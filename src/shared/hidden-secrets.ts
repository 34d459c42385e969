import { counted } from './counted';
import type { SandboxGrants } from './domain/tool-catalog';

/** The workspace's secret files a server cannot read, as its row says them; null when there are none to speak of. */
export interface HiddenSecrets {
  /** "2 secret files in the workspace", "500 or more secret files in the workspace". */
  summary: string;
  /** Each hidden one, as a path in the workspace. */
  hidden: string[];
  /** Those its allowRead gives back, as paths in the workspace. */
  allowed: string[];
}

export function hiddenSecrets(grants: Pick<SandboxGrants, 'readable' | 'workspaceSecrets'>): HiddenSecrets | null {
  const { hidden, allowed, complete } = grants.workspaceSecrets;
  if (hidden.length === 0 && allowed.length === 0 && complete) return null;
  const workspace = grants.readable.find((g) => g.from === 'workspace')?.path;
  const inWorkspace = (path: string) => (workspace && path.startsWith(`${workspace}/`) ? path.slice(workspace.length + 1) : path);
  const count = counted(hidden.length, 'secret file');
  return {
    summary: `${complete ? count : `${count} (the look stopped at its limit: deeper ones may be readable)`} in the workspace`,
    hidden: hidden.map(inWorkspace),
    allowed: allowed.map(inWorkspace),
  };
}
