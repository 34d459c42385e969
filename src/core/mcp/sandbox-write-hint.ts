import type { SandboxGrants } from '../../shared/domain/tool-catalog';

/** What a write the sandbox kept read-only looks like in a Node, Python or Rust server's error text. */
const READ_ONLY_FILE_SYSTEM = /\bEROFS\b|read-only file system/i;

/**
 * A sandboxed server's tool error that is its sandbox's doing (a write outside `allowWrite` meets a read-only file
 * system) says so and where to grant it: bare, "EROFS: read-only file system" reads like a fault of the disk or of
 * the server. `offered`: the folders the Tools & servers page now offers to let it write. Null for any other
 * error, and for a server that runs outside the sandbox.
 */
export function sandboxWriteHint(server: string, errorText: string, grants: SandboxGrants | null, offered: readonly string[] = []): string | null {
  if (!grants || !READ_ONLY_FILE_SYSTEM.test(errorText)) return null;
  const writable = grants.writable.length > 0 ? `only ${grants.writable.join(', ')}` : 'nothing of yours';
  const inMcpJson = `add the folder to "sandbox": { "allowWrite": [...] } of ${server} in mcp.json`;
  const how = offered.length > 0
    ? `${offered.map((folder) => `"Allow ${server} to write ${folder}"`).join(' or ')} on the Tools & servers page lets it, or ${inMcpJson}`
    : `To let it write there, ${inMcpJson}`;
  return `Portcullis' sandbox kept this write from happening: ${server} may write ${writable}. ${how}.`;
}
