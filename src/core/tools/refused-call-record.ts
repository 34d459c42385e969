import type { AuditLog } from '../audit/audit-log';

export interface RefusedCall {
  tool: string;
  /** Who asked, as `direct_call.made` says it: `key "Cursor"`, `JWT ci`. */
  caller: string;
  /** The way it asked: a tool call (`tools.call`, /mcp), or a resource read (`resources.read`, a prompt's embedded one). */
  channel: 'tools.call' | 'mcp' | 'resources.read' | 'prompts.get';
  /** The resource a refused read asked for (its server's `read_resource` call). */
  uri?: string | undefined;
  /** The MCP client as it introduced itself. */
  client?: string | undefined;
  reason: string;
}

/**
 * A credential's call refused before it ran (a tool outside its key's list, `memory.*` for a `tools` key; a resource
 * read through a `read_resource` outside the list), on the audit chain: nothing else records it (no conversation,
 * no trace), and a client that tries tools it was not given (a prompt-injected agent) is worth knowing of.
 */
export function recordRefusedCall(audit: Pick<AuditLog, 'record'>, now: number, refused: RefusedCall): void {
  const { client, uri, ...rest } = refused;
  audit.record({ kind: 'direct_call.refused', data: { ...rest, ...(uri ? { uri } : {}), ...(client ? { client } : {}) } }, now);
}
