import type { EventChannel, RequestChannel } from '../../shared/api/channels';
import { isRequestChannel } from '../../shared/api/channels';
import { hasScope, type Principal, type Scope } from './scopes';
import { terminalMayCall } from './terminal-channels';

/**
 * The scope each contract channel needs. Typed against the channel list, so a new channel without an entry is a
 * compile error; a channel missing at run time (an unknown name) falls back to `admin`: deny by default.
 */
export const CHANNEL_SCOPES = {
  'app.info': 'chat',
  'conversations.create': 'chat',
  'conversations.list': 'chat',
  'conversations.rename': 'chat',
  // Deleting history (with its traces) is not for a key that only chats: a script must not erase what it did.
  'conversations.delete': 'admin',
  'messages.list': 'chat',
  'chat.send': 'chat',
  'chat.stop': 'chat',
  'chat.retry': 'chat',
  'chat.contextUse': 'chat',
  'chat.runningElsewhere': 'chat',
  'conversations.runningElsewhere': 'chat',
  'conversations.running': 'chat',
  'chat.running': 'chat',
  'approvals.pending': 'approve',
  'approvals.decide': 'approve',
  'traces.spans': 'traces:read',
  'secrets.list': 'admin',
  'secrets.set': 'admin',
  'secrets.delete': 'admin',
  'apiKeys.list': 'admin',
  'apiKeys.create': 'admin',
  'apiKeys.update': 'admin',
  'apiKeys.revoke': 'admin',
  'localApi.get': 'admin',
  'localApi.set': 'admin',
  'approvals.decideMany': 'approve',
  'approvals.sandboxWarning': 'approve',
  'elicitations.pending': 'approve',
  'elicitations.answer': 'approve',
  'policy.status': 'approve',
  'policy.explain': 'approve',
  'policy.rules.revoke': 'admin',
  'audit.verify': 'admin',
  'audit.grants': 'admin',
  'search.query': 'chat',
  'memories.list': 'chat',
  'memories.update': 'chat',
  'memories.delete': 'chat',
  'retention.get': 'admin',
  'retention.set': 'admin',
  'retention.purge': 'admin',
  'data.export': 'admin',
  'data.deleteAll': 'admin',
  'models.get': 'chat',
  'models.set': 'admin',
  'models.detect': 'admin',
  'models.test': 'admin',
  'traces.list': 'traces:read',
  'traces.export': 'traces:read',
  'telemetry.status': 'traces:read',
  'telemetry.configure': 'admin',
  // A key with `tools` alone reads it cut to the tools it may call (catalog-access.ts): which are down, held back, paused.
  'tools.catalog': 'tools',
  // One governed call, as a chat turn's "tool {json}" makes it: the same policy, approvals and records, so
  // nothing a `chat` key could not already do (chat implies tools). An MCP client's key needs no more (/mcp).
  'tools.call': 'tools',
  'tools.approveChange': 'admin',
  'tools.rejectChange': 'admin',
  'tools.importSources': 'admin',
  'tools.importServers': 'admin',
  // The file names the commands servers run; reading it is as much an admin's as changing it.
  'tools.mcpConfig': 'admin',
  'tools.saveMcpConfig': 'admin',
  // Turning a server on starts the command it names.
  'tools.controlServer': 'admin',
  'tools.allowDomain': 'admin',
  'tools.allowWrite': 'admin',
  'tools.setToolEnabled': 'admin',
  // Where the built-in http.fetch may reach, as a server's sandbox grants are.
  'tools.fetchDomains': 'admin',
  'tools.setFetchDomain': 'admin',
  // A prompt is text for the person's own message, or an MCP client's (/mcp passes them on): no more than a call.
  'prompts.list': 'tools',
  'prompts.get': 'tools',
  'prompts.complete': 'tools',
  'resources.list': 'tools',
  // The person's own composer reads directly; a script's read is decided by the policy as the server's
  // read_resource call would be (api/resource-read-gate.ts), so `tools` gives it nothing a call would not.
  'resources.read': 'tools',
  'workspace.get': 'admin',
  // Which folder the tools may read and write.
  'workspace.set': 'admin',
} satisfies Record<RequestChannel, Scope>;

/** Events go only to principals that could have asked for them. */
export const EVENT_SCOPES = {
  'chat.delta': 'chat',
  'chat.message': 'chat',
  'chat.turnStarted': 'chat',
  'chat.turnEnded': 'chat',
  'chat.contextUsed': 'chat',
  'approval.requested': 'approve',
  'approval.resolved': 'approve',
  'elicitation.requested': 'approve',
  'elicitation.resolved': 'approve',
  'tool.activity': 'chat',
  'app.notice': 'chat',
} satisfies Record<EventChannel, Scope>;

export function requiredScope(channel: unknown): Scope {
  if (!isRequestChannel(channel)) return 'admin';
  return (CHANNEL_SCOPES as Record<string, Scope | undefined>)[channel] ?? 'admin';
}

/** `input`, as sent: the terminal may make one action of a channel whose others need admin (terminal-channels.ts). */
export function mayCall(principal: Principal, channel: unknown, input?: unknown): boolean {
  return hasScope(principal, requiredScope(channel)) || terminalMayCall(principal, channel, input);
}

export function mayReceive(principal: Principal, channel: EventChannel): boolean {
  return hasScope(principal, (EVENT_SCOPES as Record<string, Scope | undefined>)[channel] ?? 'admin');
}
