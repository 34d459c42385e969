import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { folderOfWrite, pathsNamedIn } from '../sandbox/refused-write';
import { writableFor } from './unwritable-folders';

/**
 * Said in the approval dialog, before the person answers: the folders a sandboxed server's call names that its
 * sandbox does not let it write (a pasted Claude Desktop `filesystem` server's folder outside the workspace), so
 * "Allow once" is not given to a write that can only be refused, and the person learns where to grant it first.
 * Null when the call names no such folder, or the server runs outside the sandbox (`grants` null).
 */
export function sandboxWriteWarning(server: string, grants: SandboxGrants | null, args: Record<string, unknown>): string | null {
  if (!grants) return null;
  const folders = [...new Set(pathsNamedIn(args).map(folderOfWrite))].filter((folder) => !writableFor(folder, grants));
  if (folders.length === 0) return null;
  const may = grants.writable.length > 0 ? `only ${grants.writable.join(', ')}` : 'nothing of yours';
  return (
    `${server}'s sandbox lets it write ${may}: if this call writes in ${folders.join(', ')}, the write will be refused. ` +
    `To let it, allow ${server} to write there on the Tools & servers page (or in "sandbox": { "allowWrite": [...] } in mcp.json) before allowing this call.`
  );
}
