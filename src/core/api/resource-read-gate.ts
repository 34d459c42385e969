import { AppError, PolicyDeniedError } from '../../shared/errors';
import type { AuditLog } from '../audit/audit-log';
import { callerLabel } from '../auth/caller-label';
import { currentPrincipal } from '../auth/request-principal';
import { toolLimitAllows } from '../auth/key-tool-limit';
import { toolRefusal } from '../auth/tool-access';
import type { Principal } from '../auth/scopes';
import type { Clock } from '../clock';
import type { PolicyEngine } from '../policy/policy-engine';
import { recordRefusedCall } from '../tools/refused-call-record';
import type { ToolRegistry } from '../tools/tool-registry';

export interface ResourceReadGateDeps {
  policy: PolicyEngine;
  registry: ToolRegistry;
  audit: AuditLog;
  clock: Clock;
  /** An API key's name, by its id, for the audit entry of a refused read. */
  keyName(id: string): string | undefined;
}

/**
 * Who may read an MCP server's resource directly (`resources.read`), outside any tool call. The person's own
 * composer (the desktop window, the printed-URL session, the CLI in process or through the running app) reads what
 * they pick to put in their own message, as intended. A script (an API key or a JWT, whatever its scopes) gets no more than a turn of the
 * agent would get unasked: the read is decided by the policy as a call of that server's `read_resource` with the
 * same URI, and runs only when that call would run without asking. No one can approve a direct read, so "ask"
 * refuses it too, and a server whose resource tool is turned off serves scripts none.
 */
export function checkResourceRead(deps: ResourceReadGateDeps, server: string, uri: string, via: 'resources.read' | 'prompts.get' = 'resources.read'): void {
  const principal = currentPrincipal();
  if (isPersonsOwn(principal)) return;
  const tool = deps.registry.list().find((definition) => definition.server === server && definition.remoteName === 'resources/read');
  const offersNone = () => new AppError('FORBIDDEN', `The ${server} server offers no read_resource tool now (it has no resources, is not running, or resources/read is turned off), so a script cannot read its resources.`);
  if (!tool) throw offersNone();
  const refusal = toolRefusal(principal, tool.name);
  if (refusal) {
    // On the audit chain as a refused tool call is: a key that reads what it was not given is worth knowing of.
    recordRefusedCall(deps.audit, deps.clock.now(), { tool: tool.name, caller: callerLabel(principal, deps.keyName), channel: via, uri, reason: refusal });
    // A key limited to certain tools is told what it would be told of a server that is not there: it learns nothing
    // of the servers it is kept from.
    if (!toolLimitAllows(principal.toolLimit, tool.name)) throw offersNone();
    throw new AppError('FORBIDDEN', `Reading ${uri} from the ${server} server is a call of ${tool.name}: ${refusal}`);
  }
  // The tool's whole definition, as the gateway passes it: whatever the policy weighs of a tool counts here too.
  const decision = deps.policy.evaluate({ tool, arguments: { uri }, server });
  deps.audit.record({ kind: 'policy.decision', data: { tool: tool.name, ...decision, tainted: false, via, principal: `${principal.kind}:${principal.id}` } }, deps.clock.now());
  if (decision.effect === 'allow') return;
  const why = `${decision.reason.replace(/\.$/, '')} (rule ${decision.ruleId})`;
  if (decision.effect === 'deny') throw new PolicyDeniedError(`The policy denies reading ${uri} from the ${server} server: ${why}.`, { decision });
  throw new PolicyDeniedError(
    `The policy asks before ${tool.name} reads ${uri}: ${why}. A script's direct read cannot wait for an approval; ask for it in a chat (chat.send), where the person can allow it.`,
    { decision },
  );
}

/**
 * The person's own session (the desktop window, the printed-URL session, the CLI in process), not a script's key. A
 * `portcullis` command through the running app (the terminal) counts too: it reads as the same command reads alone,
 * and whoever can read the folder's terminal token can run it alone. It reads; it never approves (terminalPrincipal).
 */
export function isPersonsOwn(principal: Principal | undefined): principal is undefined | (Principal & { kind: 'desktop' | 'session' | 'terminal' }) {
  return principal === undefined || principal.kind === 'desktop' || principal.kind === 'session' || principal.kind === 'terminal';
}
