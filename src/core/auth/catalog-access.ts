import type { McpServerStatusInfo, ToolCatalog } from '../../shared/domain/tool-catalog';
import { hasScope, type Principal, type ToolLimit } from './scopes';
import { serverAsToolsKeySees } from './tools-key-server-view';
import { toolRefusal } from './tool-access';

/** Characters that make a glob's server part match more than one name. */
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/**
 * The tools catalog as this caller may read it. The person's own sessions and a `chat` key (whose turns' model calls
 * any tool) read all of it. A key with `tools` alone reads the tools it may call and their servers' state, so a
 * script sees which are down, held back or paused before it calls, and nothing of the machine (mcp.json's problems,
 * a server's stderr, grants, paths: tools-key-server-view.ts): calling tools needs none of it, and an MCP client handed
 * such a key is an agent of its own. A key limited to certain tools learns nothing of the others either, as /mcp's
 * tools/list tells it nothing: only the servers of its tools (or its globs name, `everything.*`: one that is down
 * lists no tool), with their counts cut to its tools.
 */
export function catalogFor(principal: Principal | undefined, catalog: ToolCatalog): ToolCatalog {
  if (principal === undefined || hasScope(principal, 'admin')) return catalog;
  return withoutSignIns(cutFor(principal, catalog));
}

/**
 * A server's sign-in link is the person's to follow: whoever holds it can sign the server in to an account of their
 * own (its callback takes the first code that carries its state), so the person's later calls of that server would
 * write to the other's account. Signing in is the page's (admin), never a key's or a script's.
 */
function withoutSignIns(catalog: ToolCatalog): ToolCatalog {
  return catalog.servers.some((server) => server.signInUrl !== null) ? { ...catalog, servers: catalog.servers.map((server) => ({ ...server, signInUrl: null })) } : catalog;
}

function cutFor(principal: Principal, catalog: ToolCatalog): ToolCatalog {
  if (hasScope(principal, 'chat')) return catalog;
  const tools = catalog.tools.filter((tool) => toolRefusal(principal, tool.name) === null);
  const limit = principal.toolLimit;
  const servers = (limit ? catalog.servers.filter((server) => tools.some((tool) => tool.server === server.name) || namesServer(limit, server)) : catalog.servers)
    .map((server) => serverAsToolsKeySees(server, tools.filter((tool) => tool.server === server.name).length));
  return { tools, servers, problems: [], configVersion: '' };
}

/** One of the limit's globs names the server by its tools' prefix, as `everything.*` or `everything.echo` do. */
function namesServer(limit: ToolLimit, server: McpServerStatusInfo): boolean {
  return limit.patterns.some((pattern) => {
    const dot = pattern.indexOf('.');
    const serverPart = dot === -1 ? pattern : pattern.slice(0, dot);
    return !GLOB_CHARS.test(serverPart) && serverPart === server.toolPrefix;
  });
}
