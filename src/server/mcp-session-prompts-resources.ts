import { callerLabel } from '../core/auth/caller-label';
import { toolRefusal } from '../core/auth/tool-access';
import { promptRefusal } from '../core/api/key-server-reach';
import type { ToolDefinition } from '../core/tools/tool-definition';
import type { McpEndpointDeps } from './mcp-endpoint-deps';
import type { GovernedCall } from './mcp-governed-call';
import { tellStale, type ListKind } from './mcp-list-changes';
import { servePromptsAndResources } from './mcp-prompts-resources';
import type { McpSession } from './mcp-session';
import { mcpToolNames } from './mcp-tool-names';

type SessionPromptsAndResourcesDeps = Pick<
  McpEndpointDeps,
  'tools' | 'api' | 'serversListing' | 'allPrompts' | 'resourceTemplates' | 'completeTemplate' | 'keyName' | 'refused'
>;

/**
 * A session's prompts/, resources/ and completion requests, as its credential may make them: a key limited to
 * certain tools reads the resources and gets the prompts of the servers it reaches (any other not found to it, and
 * its refusal recorded).
 */
export function serveSessionPromptsAndResources(session: McpSession, deps: SessionPromptsAndResourcesDeps, governed: GovernedCall, listed: (kind: ListKind) => void): void {
  const { server } = session;
  /**
   * Records that the session's key may not read `uri` (a resource, a template) from `owner` when that is so: its
   * reader, picked by the session's URL, is outside the key's tools.
   */
  const recordReaderRefusal = (owner: string, uri: string) => {
    const reader = deps.tools().find((tool) => tool.server === owner && tool.remoteName === 'resources/read' && (session.selection?.picks(tool.name) ?? true));
    const refusal = reader ? toolRefusal(session.principal, reader.name) : null;
    if (!reader || !refusal) return;
    deps.refused({ tool: reader.name, caller: callerLabel(session.principal, deps.keyName), channel: 'mcp', uri, client: server.getClientVersion()?.name, reason: refusal });
  };
  servePromptsAndResources(server, {
    api: (channel, input) => deps.api(session.principal, channel, input),
    resourceReader: (name) => readerOf(session, deps.tools(), name),
    resourceTemplates: () => deps.resourceTemplates(),
    completeTemplate: (name, request) => deps.completeTemplate(name, request),
    listed,
    answering: (extra) => tellStale(session, extra),
    call: (name, args, extra, progressToken) => governed(name, args, extra, progressToken, 'resources/read'),
    recordRefusedRead: async (uri) => {
      if (!session.principal.toolLimit) return;
      // The first server that lists it, as resources/read would read it from.
      const [lister] = await deps.serversListing(uri);
      if (lister !== undefined) recordReaderRefusal(lister, uri);
    },
    recordRefusedTemplate: async (uriTemplate) => {
      if (!session.principal.toolLimit) return;
      const owner = (await deps.resourceTemplates()).find((template) => template.uriTemplate === uriTemplate)?.server;
      if (owner !== undefined) recordReaderRefusal(owner, uriTemplate);
    },
    recordRefusedPrompt: async (asked) => {
      if (!session.principal.toolLimit) return;
      // The prompt the name stands for among every server's, named as prompts/list names them.
      const all = await deps.allPrompts();
      const names = mcpToolNames(all.map((prompt) => `${prompt.server}.${prompt.name}`));
      const prompt = all.find((p) => (names.toClient.get(`${p.server}.${p.name}`) ?? p.name) === asked);
      const refusal = prompt ? promptRefusal(session.principal, deps.tools(), prompt.server, prompt.name) : null;
      if (!prompt || !refusal) return;
      deps.refused({ prompt: { server: prompt.server, name: prompt.name }, caller: callerLabel(session.principal, deps.keyName), channel: 'mcp', client: server.getClientVersion()?.name, reason: refusal });
    },
  });
}

/** The tool that reads a server's resources for a session, while it is offered and its URL and key leave it. */
function readerOf(session: McpSession, tools: ToolDefinition[], server: string): string | undefined {
  return tools.find((tool) => tool.server === server && tool.remoteName === 'resources/read' && (session.selection?.picks(tool.name) ?? true) && toolRefusal(session.principal, tool.name) === null)?.name;
}
