import type { AuditLog } from '../audit/audit-log';

export interface RefusedCall {
  /** The tool it asked to call (a resource read's `read_resource`); absent for a server's prompt. */
  tool?: string | undefined;
  /** The server's prompt it asked for (`prompts.get`, `prompts.complete`, /mcp prompts/get), by its server and name. */
  prompt?: { server: string; name: string } | undefined;
  /** Who asked, as `direct_call.made` says it: `key "Cursor"`, `JWT ci`. */
  caller: string;
  /**
   * The way it asked: a tool call (`tools.call`, /mcp), a resource read (`resources.read`, a prompt's embedded one),
   * or a prompt (`prompts.get`, `prompts.complete`, /mcp).
   */
  channel: 'tools.call' | 'mcp' | 'resources.read' | 'prompts.get' | 'prompts.complete';
  /** The resource a refused read asked for (its server's `read_resource` call). */
  uri?: string | undefined;
  /** The MCP client as it introduced itself. */
  client?: string | undefined;
  reason: string;
}

/**
 * A credential's call refused before it ran (a tool outside its key's list, `memory.*` for a `tools` key; a resource
 * read through a `read_resource` outside the list; a prompt of a server it reaches no tool of), on the audit chain:
 * nothing else records it (no conversation, no trace), and a client that tries what it was not given (a
 * prompt-injected agent) is worth knowing of.
 */
export function recordRefusedCall(audit: Pick<AuditLog, 'record'>, now: number, refused: RefusedCall): void {
  const { tool, prompt, client, uri, ...rest } = refused;
  const what = tool ? { tool } : prompt ? { server: prompt.server, prompt: prompt.name } : {};
  audit.record({ kind: 'direct_call.refused', data: { ...what, ...rest, ...(uri ? { uri } : {}), ...(client ? { client } : {}) } }, now);
}
