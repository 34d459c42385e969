import { AppError } from '../../shared/errors';
import { currentPrincipal } from '../auth/request-principal';
import { widenHint } from '../auth/key-tool-limit';
import { toolRefusal } from '../auth/tool-access';
import type { ToolDefinition } from '../tools/tool-definition';

/**
 * The MCP servers whose prompts and resources the current caller is given. A key limited to certain tools
 * (`keys create --tools`) reaches a server through its tools only: its prompts come from the servers it may call at
 * least one tool of (`any-tool`), its resources from those whose `read_resource` it may call (`resource-reader`),
 * since it could read no other. Undefined for every other caller (a key without a list, the person): every server.
 */
export function serversOfKey(tools: readonly ToolDefinition[], reach: 'any-tool' | 'resource-reader'): ((server: string) => boolean) | undefined {
  const principal = currentPrincipal();
  if (!principal?.toolLimit) return undefined;
  const reached = new Set(
    tools
      .filter((tool) => tool.server !== undefined && (reach === 'any-tool' || tool.remoteName === 'resources/read') && toolRefusal(principal, tool.name) === null)
      .map((tool) => tool.server!),
  );
  return (server) => reached.has(server);
}

/** Refuses a key limited to certain tools a server's prompt (`prompts.get`, `prompts.complete`) when it may call none of that server's tools. */
export function checkPromptServer(tools: readonly ToolDefinition[], server: string, name: string): void {
  const reaches = serversOfKey(tools, 'any-tool');
  if (!reaches || reaches(server)) return;
  const limit = currentPrincipal()!.toolLimit!;
  throw new AppError(
    'FORBIDDEN',
    `The ${server} server's prompt ${name} is not given to ${limit.holder}: it may call none of that server's tools (only ${limit.patterns.join(', ')}). ${widenHint(limit, 'one of them')}, or use the prompt in Portcullis itself.`,
  );
}
