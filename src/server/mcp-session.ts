import type { ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '../core/auth/scopes';
import type { ListKind } from './mcp-list-changes';
import type { ToolSelection } from './mcp-tool-selection';

/** One client's MCP session at `/mcp`: its transport and server, its credential, and the calls it has under way. */
export interface McpSession {
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** Its credential as it stood at its client's last request or the last check: a key's tools may change. */
  principal: Principal;
  /** What it was last told of each list (`seenBy`), for tools/, prompts/ and resources/list_changed. */
  told: Record<ListKind, string>;
  /**
   * The lists its client may not have heard changed since it last listed them: the notification goes on the
   * client's GET stream, which it may not have (the SDK's client gives that stream up two retries after a restart),
   * and a session taken up again after a restart cannot know what changed meanwhile. Its next tools/call,
   * prompts/get or resources/read then carries the notifications on the request's own answer stream.
   */
  maybeStale: Set<ListKind>;
  /**
   * Where the session's last call was recorded: its client's conversation of the day, shared with the client's other
   * sessions of that day (caller-conversations.ts), so their taint and allowances are shared too.
   */
  conversationId: string | null;
  /** The calls under way, by their JSON-RPC id: each stops with the words given (a dropped connection, a revoked key). */
  calls: Map<RequestId, (why: string) => void>;
  /** Why the session was ended by Portcullis, for the calls it stops; null while it is open or the client ended it. */
  endedBecause: string | null;
  /** The tools its URL picked (`?tools=…`), or null: every tool. */
  selection: ToolSelection | null;
  /** When its client last sent a request (epoch ms). */
  lastSeen: number;
  /** The last use written to storage (epoch ms). */
  storedSeen: number;
  /** When it opened (epoch ms). */
  openedAt: number;
}

/** Whether a session (or what is kept of one) is a credential's: the same kind, and the same key id or JWT subject. */
export function sameCredential(owner: Pick<Principal, 'kind' | 'id'> | undefined, principal: Principal): boolean {
  return owner !== undefined && owner.kind === principal.kind && owner.id === principal.id;
}

/** Closes a session once its calls have been answered, or after a second at most. */
export async function closeOnceAnswered(session: McpSession): Promise<void> {
  for (let waited = 0; session.calls.size > 0 && waited < 1_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  await session.transport.close().catch(() => undefined);
}

/**
 * A client that goes away without cancelling (killed, its window closed, its connection cut) leaves no one to
 * answer: the tools/call requests of a POST whose answer stream closed before it ended are cancelled, so an
 * approval they wait on leaves the person's page instead of running, once allowed, for nobody. (The SDK stops a
 * call only when its session closes, which such a client never asks for.)
 */
export function stopCallsWhenDropped(session: McpSession, body: unknown, response: ServerResponse): void {
  const ids = (Array.isArray(body) ? body : [body]).flatMap((message: unknown) => {
    const { method, id } = (message ?? {}) as { method?: unknown; id?: unknown };
    return (method === 'tools/call' || method === 'resources/read') && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
  });
  if (ids.length === 0) return;
  response.once('close', () => {
    if (response.writableFinished) return;
    const client = session.server.getClientVersion()?.name ?? 'The MCP client';
    for (const id of ids) session.calls.get(id)?.(`${client} closed its connection before the call ended.`);
  });
}
