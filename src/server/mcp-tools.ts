import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { callerLabel } from '../core/auth/caller-label';
import type { Principal } from '../core/auth/scopes';
import { toolRefusal } from '../core/auth/tool-access';
import { unknownToolOutcomeFor } from '../core/tools/unknown-tool-message';
import { MAX_ARGUMENT_DEPTH } from '../shared/domain/direct-call';
import { nestsDeeperThan } from '../shared/json-depth';
import type { McpEndpointDeps } from './mcp-endpoint-deps';
import type { GovernedCall } from './mcp-governed-call';
import { tellStale } from './mcp-list-changes';
import type { McpSession } from './mcp-session';
import { absentToolName, inClientNames, mcpToolNames, notFoundInClientNames } from './mcp-tool-names';
import { toMcpToolResult } from './mcp-tool-result';
import type { ToolSelection } from './mcp-tool-selection';

type ToolsDeps = Pick<McpEndpointDeps, 'tools' | 'absentTools' | 'serverNamespaces' | 'keyName' | 'refused' | 'redact'>;

/**
 * A session's tools/list and tools/call: the tools its URL and its key leave it, named as its client can take
 * them, and each call through the governed path (`listed` is told when its client lists them).
 */
export function serveTools(session: McpSession, deps: ToolsDeps, governed: GovernedCall, listed: () => void): void {
  const { server } = session;
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    listed();
    return { tools: listedTools(deps, session.principal, session.selection) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    tellStale(session, extra);
    const offered = deps.tools().map((tool) => tool.name);
    const names = mcpToolNames(offered);
    // A client that takes dots may call Portcullis' own name. One held back, turned off or of a server that is
    // down goes to the gateway by Portcullis' name, which says why it cannot run; any other as it is, to be
    // refused there (and recorded) with the nearest name it knows.
    const absent = names.fromClient.has(request.params.name)
      ? undefined
      : absentToolName(request.params.name, { offered, absent: deps.absentTools(), namespaces: deps.serverNamespaces() });
    const name = names.fromClient.get(request.params.name) ?? absent ?? request.params.name;
    // The key's limit before the session's selection: the client picks the selection itself, so a "not offered in
    // this session" for a made-up name beside FORBIDDEN for a real one would tell it which of the others exist.
    const refusal = toolRefusal(session.principal, name, request.params.name);
    if (refusal) {
      deps.refused({ tool: name, caller: callerLabel(session.principal, deps.keyName), channel: 'mcp', client: server.getClientVersion()?.name, reason: refusal });
      return { isError: true, content: [{ type: 'text', text: `FORBIDDEN: ${refusal}` }] };
    }
    if (session.selection && !session.selection.picks(name)) return notPicked(request.params.name, session.selection);
    // Refused before the call is written down, which walks them: nested thousands deep, they overflowed the stack.
    if (nestsDeeperThan(request.params.arguments, MAX_ARGUMENT_DEPTH)) {
      return { isError: true, content: [{ type: 'text', text: `TOOL_ARGUMENTS_INVALID: The arguments of ${request.params.name} nest objects and arrays more than ${MAX_ARGUMENT_DEPTH} levels deep, so it did not run.` }] };
    }
    const called = await governed(name, request.params.arguments ?? {}, extra, request.params._meta?.progressToken);
    // A name no tool has is answered with the tools this session offers, not the whole catalog.
    const mayCall = offered.filter((tool) => (session.selection?.picks(tool) ?? true) && toolRefusal(session.principal, tool) === null);
    const outcome = unknownToolOutcomeFor(called, name, mayCall);
    const unknown = outcome.error?.code === 'TOOL_NOT_FOUND' && !names.fromClient.has(request.params.name) && absent === undefined;
    // A tool not offered is named in the gateway's words as the client called it, but in a command the words give
    // (`portcullis tools approve chaos.echo`), which takes Portcullis' name.
    const asCalled = (text: string) => (absent === undefined ? text : text.split(/(`[^`]*`)/).map((part) => (part.startsWith('`') ? part : part.split(absent).join(request.params.name))).join(''));
    return toMcpToolResult(outcome, (text) => (unknown ? notFoundInClientNames(text, request.params.name, names, mayCall) : inClientNames(asCalled(text), names)));
  });
}

function listedTools(deps: ToolsDeps, principal: Principal, selection: ToolSelection | null): Tool[] {
  const tools = deps.tools();
  // Named among all the tools, so that a name means the same tool whatever a session picks.
  const names = mcpToolNames(tools.map((tool) => tool.name));
  return deps.redact(
    tools.filter((tool) => (selection?.picks(tool.name) ?? true) && toolRefusal(principal, tool.name) === null).map((tool) => ({
      name: names.toClient.get(tool.name) ?? tool.name,
      // Portcullis' own name, as its approvals, records and policy rules say it.
      title: tool.annotations.title ?? tool.name,
      description: tool.description,
      inputSchema: { ...tool.inputSchema, type: 'object' } as Tool['inputSchema'],
      annotations: tool.annotations,
    })),
  );
}

/** A call of a tool the session's URL did not pick: refused before the gateway, as a tool it does not offer. */
function notPicked(asked: string, selection: ToolSelection): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `TOOL_NOT_FOUND: ${asked} is not offered in this session: its URL picks the tools ${selection.said} (/mcp?tools=…).` }] };
}
