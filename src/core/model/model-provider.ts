import type { JsonSchema } from '../tools/tool-definition';
import type { ContextWindow } from './context-window';
import type { ModelImage } from './model-image';

export type ModelMessage =
  /** `fromPortcullis`: Portcullis' own words to the model within a turn (no more calls can run: answer now), not the person's. */
  | { role: 'user'; content: string; fromPortcullis?: true }
  | { role: 'assistant'; content: string; toolCalls?: { id: string; name: string; arguments: unknown }[] }
  /** `images` go with the result's text, to a model that takes them (`ModelProvider.acceptsToolImages`). */
  | { role: 'tool'; toolCallId: string; toolName: string; content: string; isError: boolean; images?: ModelImage[] };

export interface ModelToolSpec {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

export interface ModelRequest {
  messages: readonly ModelMessage[];
  tools: readonly ModelToolSpec[];
  /** Why a tool the person names is not among `tools` (held back, turned off, its server down), for the built-in model's direct calls. */
  whyAbsent?: (name: string) => string | undefined;
  /** Whether a path is a file or folder of the workspace, for the built-in model ("delete reports", "read my notes.md"). */
  workspaceHas?: (name: string) => boolean;
  /** In place of Portcullis' system prompt: an MCP server's sampling request brings its own, which knows no tools. */
  system?: string;
  /** The most the reply may take. */
  maxOutputTokens?: number;
}

/**
 * What a model streams back: text as it comes, then any tool calls, then the end. A reasoning model's thinking
 * (its opening `<think>…</think>`, or its server's `reasoning_content`) comes as `reasoning-delta`, never as text.
 */
export type ModelChunk =
  | { type: 'text-delta'; text: string }
  /** `recalled`: the text-deltas of this reply so far were reasoning too (its opening `<think>` was in the prompt): taken back. */
  | { type: 'reasoning-delta'; text: string; recalled?: true }
  | { type: 'tool-call'; id: string; name: string; arguments: unknown }
  | { type: 'finish'; reason: 'stop' | 'tool-calls' | 'length' | 'error'; usage?: ModelUsage };

/** Tokens as the model reports them; the orchestrator's token budget counts these. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

/** The port every model sits behind: the built-in offline model, a local OpenAI-compatible server, a hosted API. */
export interface ModelProvider {
  readonly id: string;
  readonly description: string;
  /** The model's own name, as an MCP server that asked for its words is told it: no address of the person's. The id when absent. */
  readonly name?: string;
  /** False for the built-in model, which routes a request to a tool and cannot write free text (as MCP sampling asks). */
  readonly writesFreeText?: boolean;
  /** Whether the model can be sent the images in a tool's result; if not, each is named in a line of text. */
  readonly acceptsToolImages?: boolean;
  /**
   * True for the built-in model: it plans each call from the turn's message alone and follows no instructions in what
   * tools return, so untrusted content a conversation read cannot have chosen its calls (its approvals say so).
   */
  readonly plansFromMessageOnly?: boolean;
  stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelChunk>;
  /** The model's context size when it is known (a local server says, or the person set it); null otherwise. */
  contextWindow?(signal?: AbortSignal): Promise<ContextWindow | null>;
}
