import { AppError } from '../../shared/errors';
import type { AuditLog } from '../audit/audit-log';
import { callerLabel } from '../auth/caller-label';
import { currentPrincipal } from '../auth/request-principal';
import { widenHint } from '../auth/key-tool-limit';
import type { Principal } from '../auth/scopes';
import { toolRefusal } from '../auth/tool-access';
import type { Clock } from '../clock';
import { recordRefusedCall } from '../tools/refused-call-record';
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

/**
 * Why a credential limited to certain tools is not given a server's prompt: it may call none of that server's
 * tools. Null when it is given it (it reaches one, or it has no list).
 */
export function promptRefusal(principal: Principal | undefined, tools: readonly ToolDefinition[], server: string, name: string): string | null {
  const limit = principal?.toolLimit;
  if (!limit || tools.some((tool) => tool.server === server && toolRefusal(principal, tool.name) === null)) return null;
  return `The ${server} server's prompt ${name} is not given to ${limit.holder}: it may call none of that server's tools (only ${limit.patterns.join(', ')}). ${widenHint(limit, 'one of them')}, or use the prompt in Portcullis itself.`;
}

export interface PromptGateDeps {
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  /** An API key's name, by its id, for the audit entry of a refusal. */
  keyName(id: string): string | undefined;
}

/**
 * Refuses a key limited to certain tools a server's prompt (`prompts.get`, `prompts.complete`) when it may call none
 * of that server's tools, on the audit chain as a refused call or resource read is.
 */
export function checkPromptServer(deps: PromptGateDeps, tools: readonly ToolDefinition[], server: string, name: string, via: 'prompts.get' | 'prompts.complete'): void {
  const principal = currentPrincipal();
  const refusal = promptRefusal(principal, tools, server, name);
  if (!refusal) return;
  recordRefusedCall(deps.audit, deps.clock.now(), { prompt: { server, name }, caller: callerLabel(principal, deps.keyName), channel: via, reason: refusal });
  throw new AppError('FORBIDDEN', refusal);
}
