import type { TaintSource } from '../../shared/domain/policy';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { ConversationGrantStore } from '../storage/stores/conversation-grant-store';
import { taintOf, type ObservedCall } from './taint-classifier';

export interface TaintTrackerDeps {
  grants: ConversationGrantStore;
  audit: AuditLog;
  clock: Clock;
  workspace: string;
  trustedRoots(): string[];
}

/** An MCP server's prompt or resource a message was sent with: `name` is the prompt's name or the resource's URI. */
export interface ServerWords {
  server: string;
  kind: 'prompt' | 'resource';
  name: string;
}

/** Marks a conversation tainted when a call brought untrusted content into it; remembers which calls did. */
export class TaintTracker {
  constructor(private readonly deps: TaintTrackerDeps) {}

  /** Called after a call succeeded; returns the recorded source when its output is untrusted. */
  observe(conversationId: string, toolCallId: string, call: ObservedCall): TaintSource | null {
    const { clock, workspace } = this.deps;
    const description = taintOf(call, this.deps.trustedRoots(), workspace);
    if (!description) return null;
    return this.add(conversationId, { toolName: call.toolName, toolCallId, description, at: clock.now() }, toolCallId);
  }

  /**
   * The person sent a message holding an MCP server's prompt or resource (`messageId`): the server's words are in
   * the conversation now, as if a tool had returned them, whether or not the person read them all.
   */
  fromServerWords(conversationId: string, messageId: string, origin: ServerWords): TaintSource {
    const source: TaintSource = { toolName: `${origin.server} ${origin.kind}`, toolCallId: messageId, description: `the ${origin.server} server's ${origin.kind} ${origin.name}`, at: this.deps.clock.now() };
    return this.add(conversationId, source, null);
  }

  /** Records the source and its audit entry (naming the call that brought it, when a call did). */
  private add(conversationId: string, source: TaintSource, toolCallId: string | null): TaintSource {
    this.deps.grants.addTaint(conversationId, source);
    this.deps.audit.record({ kind: 'taint.added', conversationId, toolCallId, data: source }, source.at);
    return source;
  }

  /** The words of the newest source of untrusted content in the conversation, or null when it holds none. */
  newest(conversationId: string): string | null {
    return this.deps.grants.recentTaint(conversationId, 1)[0]?.description ?? null;
  }

  sources(conversationId: string): TaintSource[] {
    return this.deps.grants.taint(conversationId);
  }

  /** The calls whose output the model must see fenced and labeled as untrusted. */
  untrustedCalls(conversationId: string): Map<string, string> {
    return new Map(this.sources(conversationId).map((s) => [s.toolCallId, s.description]));
  }
}
