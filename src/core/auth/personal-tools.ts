import { hasScope, type Principal } from './scopes';

/**
 * The built-in tools over the person's own memories and past conversations (`memory.search` with scope "all"
 * reads every conversation, and runs unasked since it only reads). A `tools` key, as an MCP client gets, calls the
 * workspace's and the servers' tools, not these: the person's history is theirs and their model's; `chat` (which
 * can read the conversations anyway) calls them. (A server named "memory" is `mcp-memory.*`, not these.)
 */
export function isPersonalTool(name: string): boolean {
  return name.startsWith('memory.');
}

/** Whether this caller may call the tool; undefined principal: an in-process caller, the person. */
export function mayCallTool(principal: Principal | undefined, name: string): boolean {
  return principal === undefined || !isPersonalTool(name) || hasScope(principal, 'chat');
}

export function personalToolRefusal(name: string): string {
  return `${name} reads or changes the person's own memories and conversations, which a key with the "tools" scope alone does not reach; it needs the "chat" scope.`;
}
