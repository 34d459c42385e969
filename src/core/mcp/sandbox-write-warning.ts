import type { SandboxGrants, UnwritableFolder } from '../../shared/domain/tool-catalog';
import { isInside } from '../policy/matchers/resolve-path';
import { folderOfWrite, pathsNamedIn } from '../sandbox/refused-write';
import { grantAdvice } from './sandbox-write-hint';
import { writableFor } from './unwritable-folders';

/** Arguments that carry text to write or look for, not a place: a file's text that starts with "/" names no folder. */
const TEXT_ARGUMENTS = new Set(['content', 'text', 'body', 'data', 'message', 'query', 'pattern', 'oldText', 'newText', 'old_string', 'new_string']);

/** The absolute paths a call's arguments name (`pathsNamedIn`), leaving out the text it writes or looks for. */
function pathArguments(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return pathsNamedIn(value);
  if (value === null || typeof value !== 'object' || depth > 4) return [];
  if (Array.isArray(value)) return value.flatMap((item) => pathArguments(item, depth + 1));
  return Object.entries(value).flatMap(([name, item]) => (TEXT_ARGUMENTS.has(name) ? [] : pathArguments(item, depth + 1)));
}

/**
 * Said in the approval dialog, before the person answers: the folders a sandboxed server's call names that its
 * sandbox does not let it write (a pasted Claude Desktop `filesystem` server's folder outside the workspace), so
 * "Allow once" is not given to a write that can only be refused, and the person learns where to grant it first:
 * the row's "Allow … to write …" for a folder its row `offered`, else mcp.json's `allowWrite`, as the refused
 * write's error would say. A call that names no such folder is said to fail too when its server's data file, which
 * its env names (server-memory's `MEMORY_FILE_PATH`), is where it may not write (`environment`: its row's folders
 * seen so): each change such a server makes writes that file. Null when neither holds, or the server runs outside
 * the sandbox.
 */
export function sandboxWriteWarning(
  server: string,
  grants: SandboxGrants | null,
  args: Record<string, unknown>,
  offered: readonly string[] = [],
  environment: readonly UnwritableFolder[] = [],
): string | null {
  if (!grants) return null;
  const may = grants.writable.length > 0 ? `only ${grants.writable.join(', ')}` : 'nothing of yours';
  const folders = [...new Set(pathArguments(args).map(folderOfWrite))].filter((folder) => !writableFor(folder, grants));
  if (folders.length > 0) {
    const buttons = offered.filter((button) => folders.some((folder) => isInside(folder, button, false)));
    return `${server}'s sandbox lets it write ${may}: if this call writes in ${folders.join(', ')}, the write will be refused. ${grantAdvice(server, buttons)} Grant it before allowing this call.`;
  }
  const data = environment.find((folder) => folder.environment && !writableFor(folder.folder, grants));
  if (!data?.environment) return null;
  const { variable, path } = data.environment;
  const said = `${server}'s sandbox lets it write ${may}, and its env's ${variable} names ${path}, where it keeps its data: if this call writes there, the write will be refused.`;
  if (data.notOffered === null) return `${said} ${grantAdvice(server, [data.folder])} Grant it before allowing this call.`;
  return `${said} ${data.notOffered}`;
}
