import type { ElicitationResolvedEvent } from '../approvals/elicitation-gate';
import type { AuditEntry } from './audit-log';

/**
 * A server's question to the person, once it ended, as the audit chain keeps it. What the person told the server is
 * theirs and the server's: the chain keeps who asked, for what fields (and for a request for the model's words, which
 * model and how many tokens), and how it ended.
 */
export function elicitationAnsweredEntry({ request, action, by }: ElicitationResolvedEvent): AuditEntry {
  return {
    kind: 'elicitation.answered', conversationId: request.call?.conversationId ?? null, toolCallId: request.call?.toolCallId ?? null,
    data: { server: request.server, fields: request.fields.map((f) => f.name), ...(request.sampling ? { sampling: { model: request.sampling.model, maxTokens: request.sampling.maxTokens } } : {}), action, by },
  };
}
