import { toolRefusal } from '../core/auth/tool-access';
import type { ToolDefinition } from '../core/tools/tool-definition';
import type { McpEndpointDeps } from './mcp-endpoint-deps';
import type { HandlerExtra } from './mcp-prompts-resources';
import type { McpSession } from './mcp-session';

/** How often the lists are compared with what the sessions were last told, for tools/, prompts/ and resources/list_changed. */
export const CATALOG_CHECK_EVERY_MS = 2_000;

/** The lists a client is told of when they change (MCP's `listChanged`). */
export type ListKind = 'tools' | 'prompts' | 'resources';
export const LIST_KINDS: readonly ListKind[] = ['tools', 'prompts', 'resources'];
const LIST_CHANGED = {
  tools: 'notifications/tools/list_changed',
  prompts: 'notifications/prompts/list_changed',
  resources: 'notifications/resources/list_changed',
} as const;

/** The tools and the servers' lists at one check. */
export interface ListsNow {
  tools: ToolDefinition[];
  catalog: string;
  prompts: Array<{ server: string; version: string }>;
  resources: Array<{ server: string; version: string }>;
}

function catalogFingerprint(tools: ToolDefinition[]): string {
  return JSON.stringify(tools.map((t) => [t.name, t.description, t.inputSchema, t.annotations]));
}

/** The tools and the servers' lists as they are now, once for all the sessions compared with them. */
export function listsNow(deps: Pick<McpEndpointDeps, 'tools' | 'serverLists'>): ListsNow {
  const tools = deps.tools();
  return { tools, catalog: catalogFingerprint(tools), prompts: deps.serverLists('prompts'), resources: deps.serverLists('resources') };
}

/**
 * What a session sees of each list, as a value that changes when the list it would be given does: the tools'
 * catalog and the names its URL and its key leave it; the prompts of the servers its key reaches (any one of
 * their tools) and the resources of those whose reader it has, each server's list by its version.
 */
export function seenBy(session: Pick<McpSession, 'principal' | 'selection'>, now: ListsNow): Record<ListKind, string> {
  const keys = now.tools.filter((tool) => toolRefusal(session.principal, tool.name) === null);
  const offered = keys.filter((tool) => session.selection?.picks(tool.name) ?? true);
  // Prompts follow the key alone (a URL's pick narrows tools and resources); resources, the readers offered.
  const promptServers = new Set(keys.map((tool) => tool.server));
  const resourceServers = new Set(offered.filter((tool) => tool.remoteName === 'resources/read').map((tool) => tool.server));
  const versions = (lists: ListsNow['prompts'], reaches: (server: string) => boolean) =>
    lists.filter(({ server }) => reaches(server)).map(({ server, version }) => `${server}@${version}`).join('\n');
  return {
    tools: `${now.catalog}\n${offered.map((tool) => tool.name).join('\n')}`,
    prompts: versions(now.prompts, (server) => !session.principal.toolLimit || promptServers.has(server)),
    resources: versions(now.resources, (server) => resourceServers.has(server)),
  };
}

/** Its client listed `kind`: it knows the list as it is now. */
export function listed(session: McpSession, kind: ListKind, now: ListsNow): void {
  session.told[kind] = seenBy(session, now)[kind];
  session.maybeStale.delete(kind);
}

/** The lists a session's client may not have heard changed are told on the answer stream of its request. */
export function tellStale(session: McpSession, extra: HandlerExtra): void {
  for (const kind of session.maybeStale) void extra.sendNotification({ method: LIST_CHANGED[kind] }).catch(() => undefined);
  session.maybeStale.clear();
}

/**
 * A tool, prompt or resource added, changed or gone (a server behind Portcullis said so, connected or went away),
 * or a session's key given other tools (keys update): its client is told of what it sees.
 */
export function tellListChanges(sessions: Iterable<McpSession>, now: ListsNow): void {
  for (const session of sessions) {
    const seen = seenBy(session, now);
    for (const kind of LIST_KINDS) {
      if (seen[kind] === session.told[kind]) continue;
      session.told[kind] = seen[kind];
      session.maybeStale.add(kind);
      void session.server.notification({ method: LIST_CHANGED[kind] }).catch(() => undefined);
    }
  }
}
