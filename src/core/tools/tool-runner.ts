import type { ToolProgress } from '../../shared/domain/tool-call';
import type { WireError } from '../../shared/errors';

/**
 * `untrusted` marks content that came from outside the person's control (an MCP server, the web), for the
 * policy's taint tracking.
 */
export type ToolOutcome = ({ ok: true; result: unknown } | { ok: false; error: WireError }) & {
  untrusted?: boolean;
  /** Why it is untrusted, in the runner's words, where the tool's kind does not say (a memory saved beside web content). */
  untrustedSource?: string;
  /** What the OS sandbox refused the tool while it ran (a host not granted, …), for the call's trace. */
  refusals?: string[];
};

export interface ToolRunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Told each progress report of a long call (MCP servers send them); its message is the server's, untrusted. */
  onProgress?: (progress: ToolProgress) => void;
}

export interface ToolRunRequest {
  toolName: string;
  arguments: Record<string, unknown>;
  /**
   * Where the call comes from: for in-process tools that record it (memory.save keeps its source message), and
   * for what an MCP server asks the person mid-call (the dialog names the call and its conversation).
   */
  context?: { conversationId: string; turnId: string; toolCallId?: string };
}

/** Runs a tool's code somewhere isolated (a worker process, an MCP server) and reports the outcome as data. */
export interface ToolRunner {
  run(request: ToolRunRequest, options: ToolRunOptions): Promise<ToolOutcome>;
  /**
   * Why this call would be refused without being tried (an MCP server's open breaker, a URL off the fetch
   * allowlist, a memory in a private chat): no one is asked to approve a call that cannot run.
   */
  refusal?(request: ToolRunRequest): WireError | undefined;
  dispose(): void | Promise<void>;
}
