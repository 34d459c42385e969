import type { TemplateCompletion } from '../core/mcp/server-prompts';
import type { McpResourceTemplate } from '../core/mcp/server-resources';
import type { Principal } from '../core/auth/scopes';
import type { RuntimeInstance } from '../core/runtime/runtime-instance';
import type { McpSessionStore } from '../core/storage/stores/mcp-session-store';
import type { GovernedDirectCallOptions } from '../core/tools/governed-direct-call';
import type { RefusedCall } from '../core/tools/refused-call-record';
import type { ToolDefinition } from '../core/tools/tool-definition';
import type { InvokeResult } from '../shared/api/wire';
import type { DirectCallInput, DirectCallOutcome } from '../shared/domain/direct-call';
import type { PromptsAndResourcesChannel } from './mcp-prompts-resources';

/** What `/mcp` needs of the runtime, the storage and this process. */
export interface McpEndpointDeps {
  version: string;
  /** The tools the runtime offers now (held-back and turned-off ones are not among them). */
  tools(): ToolDefinition[];
  /** The names of the tools not offered now that the runtime can say why of: held back or turned off. */
  absentTools(): string[];
  /** The namespaces of the configured MCP servers' tools (`everything`, `mcp-memory`), running or not. */
  serverNamespaces(): string[];
  /**
   * The connected servers that offer prompts (or resources), each with a version of that list that changes when the
   * server announces a change or connects again (`McpConnection.listVersion`).
   */
  serverLists(kind: 'prompts' | 'resources'): Array<{ server: string; version: string }>;
  /** The governed call path of `tools.call`. */
  call(input: DirectCallInput, options: GovernedDirectCallOptions): Promise<DirectCallOutcome>;
  /** Whether a call recorded in this conversation waits for the person's approval now. */
  awaitingApproval(conversationId: string): Promise<boolean>;
  /** An API key's name, by its id, for the words the person reads in the approval. */
  keyName(id: string): string | undefined;
  /**
   * The credential that opened a session as it stands now (a key's scopes and tools changed since), or null once it
   * no longer holds (revoked, expired).
   */
  current(principal: Principal): Principal | null;
  /** A local API channel run as a credential would run it over HTTP (its scopes, and the policy's say for a key). */
  api(principal: Principal, channel: PromptsAndResourcesChannel, input: unknown): Promise<InvokeResult>;
  /**
   * The servers that list a resource, or a template it is a URI of, whoever asks (a key limited to certain tools is
   * listed only some).
   */
  serversListing(uri: string): Promise<string[]>;
  /** Every server's prompts, whoever asks (a key limited to certain tools is listed only some). */
  allPrompts(): Promise<Array<{ server: string; name: string }>>;
  /** Every server's resource templates, whoever asks (a session is given those of the servers it has a reader of). */
  resourceTemplates(): Promise<McpResourceTemplate[]>;
  /** Values a server suggests for a variable of one of its resource templates. */
  completeTemplate(server: string, request: TemplateCompletion): Promise<string[]>;
  /** A call refused before it ran (a tool outside the key's list), for the audit chain. */
  refused(refused: RefusedCall): void;
  /** Masks secrets in anything sent (tool descriptions and schemas are the servers' words). */
  redact<T>(value: T): T;
  /**
   * Where sessions are kept across a restart of Portcullis (SQLite): a client keeps its session id and, as the
   * SDK's own Client does, does not initialize again on a 404, so a session that is not kept fails every call.
   */
  storage: McpSessionStorage;
  /**
   * This process among the Portcullis processes on the data folder (the app and a `serve`): the kept sessions another
   * live one holds open are its own to forget, not this one's.
   */
  instance: Pick<RuntimeInstance, 'id' | 'pid' | 'isAlive'>;
  /** Test hook: how often progress is sent while a call waits. */
  progressEveryMs?: number;
}

export type McpSessionStorage = Pick<McpSessionStore, 'save' | 'find' | 'all' | 'setConversation' | 'seen' | 'delete' | 'release'>;
