/**
 * The channel names of the API contract, free of zod so that the sandboxed preload can check them
 * without bundling schemas. `contract.ts` is typed against these lists, so they cannot drift apart.
 */
export const REQUEST_CHANNELS = [
  'app.info',
  'conversations.create',
  'conversations.list',
  'conversations.rename',
  'conversations.delete',
  'messages.list',
  'chat.send',
  'chat.stop',
  'chat.retry',
  'chat.contextUse',
  'chat.runningElsewhere',
  'conversations.runningElsewhere',
  'conversations.running',
  'chat.running',
  'approvals.pending',
  'approvals.decide',
  'traces.spans',
  'secrets.list',
  'secrets.set',
  'secrets.delete',
  'apiKeys.list',
  'apiKeys.create',
  'apiKeys.update',
  'apiKeys.revoke',
  'localApi.get',
  'localApi.set',
  'approvals.decideMany',
  'elicitations.pending',
  'elicitations.answer',
  'policy.status',
  'policy.explain',
  'policy.rules.revoke',
  'audit.verify',
  'search.query',
  'memories.list',
  'memories.update',
  'memories.delete',
  'retention.get',
  'retention.set',
  'retention.purge',
  'data.export',
  'data.deleteAll',
  'models.get',
  'models.set',
  'models.detect',
  'models.test',
  'traces.list',
  'traces.export',
  'telemetry.status',
  'telemetry.configure',
  'tools.catalog',
  'tools.call',
  'tools.approveChange',
  'tools.rejectChange',
  'tools.importSources',
  'tools.importServers',
  'tools.mcpConfig',
  'tools.saveMcpConfig',
  'tools.controlServer',
  'tools.allowDomain',
  'tools.allowWrite',
  'tools.setToolEnabled',
  'prompts.list',
  'prompts.get',
  'prompts.complete',
  'resources.list',
  'resources.read',
  'workspace.get',
  'workspace.set',
] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export const EVENT_CHANNELS = [
  'chat.delta',
  'chat.message',
  'chat.turnStarted',
  'chat.turnEnded',
  'chat.contextUsed',
  'approval.requested',
  'approval.resolved',
  'elicitation.requested',
  'elicitation.resolved',
  'tool.activity',
  'app.notice',
] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}
