import type { WireError } from '../../shared/errors';

/**
 * `untrusted` marks content that came from outside the person's control (an MCP server, the web), for the
 * policy's taint tracking.
 */
export type ToolOutcome = { ok: true; result: unknown; untrusted?: boolean } | { ok: false; error: WireError; untrusted?: boolean };

export interface ToolRunRequest {
  toolName: string;
  arguments: Record<string, unknown>;
  /** Where the call comes from, for in-process tools that record it (memory.save keeps its source message). */
  context?: { conversationId: string; turnId: string };
}

/** Runs a tool's code somewhere isolated (a worker process, an MCP server) and reports the outcome as data. */
export interface ToolRunner {
  run(request: ToolRunRequest, options: { signal?: AbortSignal; timeoutMs?: number }): Promise<ToolOutcome>;
  dispose(): void | Promise<void>;
}
