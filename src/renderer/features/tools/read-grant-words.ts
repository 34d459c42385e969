import type { HomeAccess, SandboxGrants } from '../../../shared/domain/tool-catalog';

/** Why a server may read the whole home folder (but credentials), as its row says it. */
const WHOLE_HOME_BECAUSE: Record<Exclude<HomeAccess, 'private'>, string> = {
  readHome: 'its "readHome": true in mcp.json',
  workspace: 'the workspace is your home folder or holds it',
  allowRead: 'its "allowRead" names your home folder',
  arguments: 'its arguments name your home folder',
};

/** What a sandboxed server may read, sorted for its row: the places the person named, and runtimes' folders apart. */
export interface ReadPlaces {
  /** Why it reads all of the home folder but credentials; null: the rest of the home folder is hidden from it. */
  wholeHome: string | null;
  /** Its `allowRead` and what its command line and env name, each with where it comes from. */
  named: { path: string; because: string }[];
  /** Where runtimes and their tools live (nvm, ~/.cache…), readable by every server. */
  runtimes: string[];
  /** It also reads what it may write and its package cache (listed under Writes). */
  writes: boolean;
}

export function readPlaces(grants: Pick<SandboxGrants, 'home' | 'readable'>): ReadPlaces {
  const of = (from: SandboxGrants['readable'][number]['from']) => grants.readable.filter((g) => g.from === from).map((g) => g.path);
  return {
    wholeHome: grants.home === 'private' ? null : WHOLE_HOME_BECAUSE[grants.home],
    named: [
      ...of('allowRead').map((path) => ({ path, because: 'its allowRead' })),
      ...of('arguments').map((path) => ({ path, because: 'named in its arguments' })),
      ...of('environment').map((path) => ({ path, because: 'named in its env' })),
    ],
    runtimes: of('runtime'),
    writes: grants.readable.some((g) => g.from === 'write' || g.from === 'packageCache'),
  };
}
