import type { RequestChannel } from '../../shared/api/channels';
import type { ParsedRequestInput, RequestHandlers } from '../../shared/api/contract';
import type { AppError } from '../../shared/errors';

type AddsToKeep<C extends RequestChannel> = boolean | ((input: ParsedRequestInput<C>) => boolean);

/**
 * Whether a request adds or changes something the data folder keeps: once its database is gone (deleted or
 * replaced under the running process) such a request is refused with why, since what it did would look kept and be
 * lost at the restart. A request that only reads, or only takes something away (revoking a key or a rule, deleting
 * a secret, a memory or a conversation, signing out, a server or tool turned off), still runs: it takes effect in
 * the running process now, and the restart keeps none of it anyway. Typed against the channel list, so a new channel
 * must say.
 */
const ADDS_TO_KEEP: { [C in RequestChannel]: AddsToKeep<C> } = {
  'app.info': false,
  'conversations.create': true,
  'conversations.list': false,
  'conversations.rename': true,
  'conversations.delete': false,
  'messages.list': false,
  'chat.send': true,
  'chat.stop': false,
  'chat.retry': true,
  'chat.contextUse': false,
  'chat.runningElsewhere': false,
  'conversations.runningElsewhere': false,
  'conversations.running': false,
  'chat.running': false,
  // An answer to a call under way: the turns are stopped with the database, and a direct call's answer keeps nothing.
  'approvals.pending': false,
  'approvals.decide': false,
  'approvals.decideMany': false,
  'approvals.sandboxWarning': false,
  'traces.spans': false,
  'secrets.list': false,
  'secrets.set': true,
  'secrets.delete': false,
  'apiKeys.list': false,
  'apiKeys.create': true,
  'apiKeys.update': true,
  'apiKeys.revoke': false,
  'localApi.get': false,
  'localApi.set': true,
  'elicitations.pending': false,
  'elicitations.answer': false,
  'policy.status': false,
  'policy.explain': false,
  'policy.rules.revoke': false,
  'audit.verify': false,
  'audit.grants': false,
  'search.query': false,
  'memories.list': false,
  'memories.update': true,
  'memories.delete': false,
  'retention.get': false,
  'retention.set': true,
  'retention.purge': false,
  'data.export': false,
  'data.deleteAll': false,
  'models.get': false,
  'models.set': true,
  'models.detect': false,
  'models.test': false,
  'traces.list': false,
  'traces.export': false,
  'telemetry.status': false,
  'telemetry.configure': true,
  'tools.catalog': false,
  // A call is recorded (its conversation, messages, row and trace) as a turn is.
  'tools.call': true,
  'tools.approveChange': true,
  'tools.rejectChange': false,
  'tools.importSources': false,
  'tools.importServers': true,
  'tools.mcpConfig': false,
  'tools.saveMcpConfig': true,
  'tools.controlServer': ({ action }) => action === 'enable',
  'tools.allowDomain': true,
  'tools.allowWrite': true,
  'tools.setToolEnabled': ({ enabled }) => enabled,
  'tools.fetchDomains': false,
  'tools.setFetchDomain': ({ allowed }) => allowed,
  'prompts.list': false,
  'prompts.get': false,
  'prompts.complete': false,
  'resources.list': false,
  'resources.read': false,
  'workspace.get': false,
  'workspace.set': true,
};

/** The handlers, with each request that adds something to keep refused while `unavailable` says why nothing is kept. */
export function refuseChangesWhileUnkept(handlers: RequestHandlers, unavailable: () => AppError | null): RequestHandlers {
  const guarded: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [RequestChannel, (input: never) => Promise<unknown>][]) {
    const adds = ADDS_TO_KEEP[channel] as AddsToKeep<RequestChannel>;
    guarded[channel] =
      adds === false
        ? handler
        : async (input: never) => {
            const why = unavailable();
            if (why && (adds === true || adds(input))) throw why;
            return handler(input);
          };
  }
  return guarded as unknown as RequestHandlers;
}
