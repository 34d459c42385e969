import type { AuditLog } from '../audit/audit-log';

export interface RefusedCall {
  tool: string;
  /** Who asked, as `direct_call.made` says it: `key "Cursor"`, `JWT ci`. */
  caller: string;
  channel: 'tools.call' | 'mcp';
  /** The MCP client as it introduced itself. */
  client?: string | undefined;
  reason: string;
}

/**
 * A credential's call refused before it ran (a tool outside its key's list, `memory.*` for a `tools` key), on the
 * audit chain: nothing else records it (no conversation, no trace), and a client that tries tools it was not given
 * (a prompt-injected agent) is worth knowing of.
 */
export function recordRefusedCall(audit: Pick<AuditLog, 'record'>, now: number, refused: RefusedCall): void {
  const { client, ...rest } = refused;
  audit.record({ kind: 'direct_call.refused', data: { ...rest, ...(client ? { client } : {}) } }, now);
}
