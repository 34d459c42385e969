import type { ToolAnnotations } from '../../shared/domain/tool-call';

/** A JSON Schema object as MCP tools declare their inputs. */
export type JsonSchema = Record<string, unknown>;

/** What the gateway knows about a tool: its contract, its MCP annotations and how to describe a call in words. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  annotations: ToolAnnotations;
  /** True when the tool's code runs inside the sandbox (a worker process confined to the workspace). */
  sandboxed: boolean;
  /**
   * True when its server's OS sandbox lets it reach nothing outside this computer (no domain granted, local
   * daemons' sockets refused): it cannot send data out, whatever its annotations say.
   */
  offline?: boolean;
  /**
   * Its server's words count as the person's own (`"trustedOutput": true` on a sandboxed, offline stdio server, and
   * the tool does not say it reaches out): its output taints only for what the call reached (a web address, a file
   * outside the trusted folders).
   */
  outputTrusted?: boolean;
  /** The MCP server the tool comes from; absent for Portcullis's own tools. */
  server?: string;
  /** The tool's own name on its MCP server (without the `server.` prefix). */
  remoteName?: string;
  /** Plain words for the approval dialog's title, e.g. "Write 2 characters to notes/todo.md". */
  describeCall(args: Record<string, unknown>): string;
}

/** MCP's rule: a tool counts as mutating unless it says it only reads. */
export function isReadOnly(tool: Pick<ToolDefinition, 'annotations'>): boolean {
  return tool.annotations.readOnlyHint === true;
}

/** A tool's namespace, the part of its name before the first dot (`fs` of `fs.read`; a server's prefix for MCP tools). */
export function namespaceOf(toolName: string): string {
  const dot = toolName.indexOf('.');
  return dot <= 0 ? '' : toolName.slice(0, dot);
}
