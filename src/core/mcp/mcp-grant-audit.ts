import { existsSync, readFileSync } from 'node:fs';
import type { AuditEntry } from '../audit/audit-log';
import { McpFileSchema } from './mcp-config';

type ServerEntries = Record<string, unknown>;

/** What mcp.json grants one server, as the audit chain names it: its output trusted, the domains it may reach, the folders it may write. */
interface Grants {
  trustedOutput: boolean;
  domains: string[];
  folders: string[];
  /** `"sandbox": false`: no list limits it, so its lists say nothing (a grant of everything is not a list's change). */
  unsandboxed: boolean;
}

function grantsOf(entry: unknown): Grants {
  const fields = entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
  const sandbox = fields.sandbox && typeof fields.sandbox === 'object' ? (fields.sandbox as Record<string, unknown>) : {};
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
  return { trustedOutput: fields.trustedOutput === true, domains: strings(sandbox.allowedDomains), folders: strings(sandbox.allowWrite), unsandboxed: fields.sandbox === false };
}

/**
 * The audit entries for what changed between two versions of mcp.json's servers: a server's output trusted or no
 * longer trusted, its sandbox turned off (`"sandbox": false`) or on again, a domain or a write folder added to or
 * taken from its sandbox (a server added or removed counts as all of its grants added or taken back).
 */
export function grantChanges(before: ServerEntries, after: ServerEntries): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const granted = (data: object) => entries.push({ kind: 'sandbox.granted', data });
  const revoked = (data: object) => entries.push({ kind: 'sandbox.revoked', data });
  for (const server of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = grantsOf(before[server]);
    const is = grantsOf(after[server]);
    if (is.trustedOutput && !was.trustedOutput) granted({ server, trustedOutput: true });
    if (!is.trustedOutput && was.trustedOutput) revoked({ server, trustedOutput: false });
    // Out of the sandbox it reaches and writes whatever you can: the widest grant there is, and its return.
    if (is.unsandboxed && !was.unsandboxed) granted({ server, sandbox: false });
    if (!is.unsandboxed && was.unsandboxed) revoked({ server, sandbox: true });
    if (was.unsandboxed || is.unsandboxed) continue;
    for (const domain of is.domains.filter((d) => !was.domains.includes(d))) granted({ server, domain });
    for (const domain of was.domains.filter((d) => !is.domains.includes(d))) revoked({ server, domain });
    for (const folder of is.folders.filter((f) => !was.folders.includes(f))) granted({ server, folder });
    for (const folder of was.folders.filter((f) => !is.folders.includes(f))) revoked({ server, folder });
  }
  return entries;
}

/** mcp.json's servers as written (none when there is no file); null while it does not read as a config. */
function serversIn(file: string): ServerEntries | null {
  if (!existsSync(file)) return {};
  try {
    return McpFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).data?.mcpServers ?? null;
  } catch {
    return null;
  }
}

/**
 * Records on the audit chain what each version of mcp.json grants or takes back, against the version last taken up:
 * where the file is taken up (the page's save and an edit in another editor alike), so a change is recorded once
 * whoever made it, and a reload that finds nothing new records nothing.
 */
export class McpGrantAudit {
  private last: ServerEntries;

  constructor(
    private readonly file: string,
    private readonly record: (entry: AuditEntry) => void,
  ) {
    this.last = serversIn(file) ?? {};
  }

  /** Compares the file with the version last taken up, records the differences, and keeps it as the new one. */
  takeUp(): void {
    const now = serversIn(this.file);
    // A file that does not read leaves the servers running as they were: nothing changed until it reads again.
    if (!now) return;
    const changes = grantChanges(this.last, now);
    this.last = now;
    for (const change of changes) this.record(change);
  }
}
