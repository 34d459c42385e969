import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AuditEntry } from '../audit/audit-log';
import { type GrantFile, GrantFileAudit, type GrantFileAuditOptions } from '../audit/grant-file-audit';
import { McpFileSchema } from './mcp-config';

type ServerEntries = Record<string, unknown>;

/** What mcp.json grants one server, as the audit chain names it: its output trusted, the domains it may reach, the folders it may write and read. */
const GrantsSchema = z.object({
  trustedOutput: z.boolean(),
  domains: z.array(z.string()),
  folders: z.array(z.string()),
  /** Its `allowRead` (absent in what an older Portcullis stored: none). */
  reads: z.array(z.string()).default([]),
  /** Its `"readHome": true`: the whole home folder but credentials. */
  readHome: z.boolean().default(false),
  /** Its `"sshAgent": true`: the session's SSH agent, which signs with the person's keys. */
  sshAgent: z.boolean().default(false),
  /** `"sandbox": false`: no list limits it, so its lists say nothing (a grant of everything is not a list's change). */
  unsandboxed: z.boolean(),
});
type Grants = z.infer<typeof GrantsSchema>;
/** What mcp.json grants, by server. */
const ServerGrantsSchema = z.record(z.string(), GrantsSchema);
type ServerGrants = z.infer<typeof ServerGrantsSchema>;

function grantsOf(entry: unknown): Grants {
  const fields = entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
  const sandbox = fields.sandbox && typeof fields.sandbox === 'object' ? (fields.sandbox as Record<string, unknown>) : {};
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
  return {
    trustedOutput: fields.trustedOutput === true,
    domains: strings(sandbox.allowedDomains),
    folders: strings(sandbox.allowWrite),
    reads: strings(sandbox.allowRead),
    readHome: sandbox.readHome === true,
    sshAgent: sandbox.sshAgent === true,
    unsandboxed: fields.sandbox === false,
  };
}

function serverGrantsOf(entries: ServerEntries): ServerGrants {
  return Object.fromEntries(Object.entries(entries).map(([server, entry]) => [server, grantsOf(entry)]));
}

/**
 * The audit entries for what changed between two versions of mcp.json's servers: a server added (its code runs, its
 * tools are trusted on first use) or removed, its output trusted or no longer trusted, its sandbox turned off
 * (`"sandbox": false`) or on again, a domain, a write or read folder, the whole home folder (`readHome`) or the SSH agent (`sshAgent`) added to or taken from its sandbox (a server added or
 * removed also counts as all of its grants added or taken back).
 */
export function grantChanges(before: ServerEntries, after: ServerEntries): AuditEntry[] {
  return serverGrantChanges(serverGrantsOf(before), serverGrantsOf(after));
}

function serverGrantChanges(before: ServerGrants, after: ServerGrants): AuditEntry[] {
  const none = grantsOf(undefined);
  const entries: AuditEntry[] = [];
  const granted = (data: object) => entries.push({ kind: 'sandbox.granted', data });
  const revoked = (data: object) => entries.push({ kind: 'sandbox.revoked', data });
  for (const server of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[server] ?? none;
    const is = after[server] ?? none;
    if (!(server in before)) granted({ server, added: true });
    if (!(server in after)) revoked({ server, removed: true });
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
    // The home folder is private to a server but for what it is let read.
    if (is.readHome && !was.readHome) granted({ server, readHome: true });
    if (!is.readHome && was.readHome) revoked({ server, readHome: false });
    if (is.sshAgent && !was.sshAgent) granted({ server, sshAgent: true });
    if (!is.sshAgent && was.sshAgent) revoked({ server, sshAgent: false });
    for (const readFolder of is.reads.filter((f) => !was.reads.includes(f))) granted({ server, readFolder });
    for (const readFolder of was.reads.filter((f) => !is.reads.includes(f))) revoked({ server, readFolder });
  }
  return entries;
}

/** What mcp.json grants as written (nothing when there is no file); null while it does not read as a config. */
function mcpFileGrants(file: string): GrantFile<ServerGrants> {
  return {
    key: 'auditedGrants.mcpJson',
    schema: ServerGrantsSchema,
    none: {},
    changes: serverGrantChanges,
    read: () => {
      if (!existsSync(file)) return {};
      try {
        const servers = McpFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).data?.mcpServers;
        return servers ? serverGrantsOf(servers) : null;
      } catch {
        return null;
      }
    },
  };
}

/** mcp.json's grants on the audit chain, as each version is taken up and, for one changed while no Portcullis ran, at start. */
export class McpGrantAudit extends GrantFileAudit<ServerGrants> {
  constructor(file: string, options: GrantFileAuditOptions) {
    super(mcpFileGrants(file), options);
  }
}
