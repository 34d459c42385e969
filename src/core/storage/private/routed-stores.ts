import type { Database } from 'better-sqlite3';
import type { ApprovalOutcome } from '../../../shared/domain/approval';
import type { Conversation } from '../../../shared/domain/conversation';
import type { Message } from '../../../shared/domain/message';
import type { SpanRecord } from '../../../shared/domain/span';
import type { ToolCallRecord } from '../../../shared/domain/tool-call';
import type { TaintSource } from '../../../shared/domain/policy';
import { ApprovalStore, type ApprovalRecord } from '../stores/approval-store';
import { ConversationGrantStore } from '../stores/conversation-grant-store';
import { ConversationStore } from '../stores/conversation-store';
import { MessageStore, type NewMessage } from '../stores/message-store';
import { ReplyDraftStore, type ReplyDraft } from '../stores/reply-draft-store';
import { SpanStore, type SpanWriter } from '../stores/span-store';
import { ToolCallStore } from '../stores/tool-call-store';
import type { Redactor } from '../../redaction/redactor';
import type { PrivateSpace } from './private-space';

/*
 * The stores the runtime uses, routing each record by its conversation: private conversations to the
 * in-memory space, everything else to the file. Subclasses, so every consumer keeps its types unchanged.
 */

export class RoutedConversationStore extends ConversationStore {
  private readonly memory: ConversationStore;

  constructor(
    db: Database,
    private readonly space: PrivateSpace,
    private readonly privateByDefault: () => boolean = () => false,
    redactor?: Redactor,
  ) {
    super(db, redactor);
    this.memory = new ConversationStore(space.db, redactor);
  }

  /** Private (asked for, or the person's default): held in memory only, never written to disk. */
  override create(conversation: Conversation & { private?: boolean }): Conversation {
    const { private: asked, ...row } = conversation;
    const isPrivate = asked ?? this.privateByDefault();
    if (!isPrivate) return super.create(row);
    this.space.addConversation(row.id);
    return { ...this.memory.create(row), private: true };
  }

  override list(): Conversation[] {
    const kept = this.memory.list().map((c) => ({ ...c, private: true }));
    return [...kept, ...super.list()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  override get(id: string): Conversation {
    return this.space.has(id) ? { ...this.memory.get(id), private: true } : super.get(id);
  }

  override touch(id: string, at: number): void {
    if (this.space.has(id)) this.memory.touch(id, at);
    else super.touch(id, at);
  }

  override rename(id: string, title: string): void {
    if (this.space.has(id)) this.memory.rename(id, title);
    else super.rename(id, title);
  }
}

export class RoutedMessageStore extends MessageStore {
  private readonly memory: MessageStore;

  constructor(db: Database, private readonly space: PrivateSpace, redactor?: Redactor) {
    super(db, redactor);
    this.memory = new MessageStore(space.db, redactor);
  }

  override append(message: NewMessage): Message {
    return this.space.has(message.conversationId) ? this.memory.append(message) : super.append(message);
  }

  override list(conversationId: string): Message[] {
    return this.space.has(conversationId) ? this.memory.list(conversationId) : super.list(conversationId);
  }

  override listNewest(conversationId: string, count: number): Message[] {
    return this.space.has(conversationId) ? this.memory.listNewest(conversationId, count) : super.listNewest(conversationId, count);
  }

  override count(conversationId: string): number {
    return this.space.has(conversationId) ? this.memory.count(conversationId) : super.count(conversationId);
  }

  override get(id: string): Message | undefined {
    return this.memory.get(id) ?? super.get(id);
  }

  override userMessageOfTurn(conversationId: string, turnId: string): string | null {
    return this.space.has(conversationId) ? this.memory.userMessageOfTurn(conversationId, turnId) : super.userMessageOfTurn(conversationId, turnId);
  }

  override toolRequestOfTurn(conversationId: string, turnId: string): { traceId: string | null } | undefined {
    return this.space.has(conversationId) ? this.memory.toolRequestOfTurn(conversationId, turnId) : super.toolRequestOfTurn(conversationId, turnId);
  }
}

export class RoutedToolCallStore extends ToolCallStore {
  private readonly memory: ToolCallStore;

  constructor(db: Database, private readonly space: PrivateSpace, redactor?: Redactor) {
    super(db, redactor);
    this.memory = new ToolCallStore(space.db, redactor);
  }

  override insert(record: ToolCallRecord): void {
    if (this.space.has(record.conversationId)) this.memory.insert(record);
    else super.insert(record);
  }

  override update(record: ToolCallRecord): void {
    if (this.space.has(record.conversationId)) this.memory.update(record);
    else super.update(record);
  }

  override get(id: string): ToolCallRecord | undefined {
    return this.memory.get(id) ?? super.get(id);
  }
}

export class RoutedApprovalStore extends ApprovalStore {
  private readonly memory: ApprovalStore;

  constructor(db: Database, private readonly space: PrivateSpace) {
    super(db);
    this.memory = new ApprovalStore(space.db);
  }

  override insert(record: ApprovalRecord): void {
    if (this.space.has(record.conversationId)) this.memory.insert(record);
    else super.insert(record);
  }

  override decide(id: string, outcome: ApprovalOutcome, decidedAt: number, note: string | null, decidedBy: string | null = null): boolean {
    return this.memory.decide(id, outcome, decidedAt, note, decidedBy) || super.decide(id, outcome, decidedAt, note, decidedBy);
  }

  override expireOpen(at: number): number {
    return this.memory.expireOpen(at) + super.expireOpen(at);
  }
}

export class RoutedSpanStore extends SpanStore {
  private readonly memory: SpanStore;

  constructor(db: Database, private readonly space: PrivateSpace, writer?: SpanWriter) {
    super(db, writer);
    this.memory = new SpanStore(space.db);
  }

  override insert(spans: readonly SpanRecord[]): void {
    const kept = spans.filter((span) => this.space.hasTrace(span.traceId));
    if (kept.length > 0) this.memory.insert(kept);
    if (kept.length < spans.length) super.insert(spans.filter((span) => !this.space.hasTrace(span.traceId)));
  }

  override byTrace(traceId: string): SpanRecord[] {
    return this.space.hasTrace(traceId) ? this.memory.byTrace(traceId) : super.byTrace(traceId);
  }
}

/** Conversation allowances and taint sources of a private conversation stay in memory with it. */
export class RoutedConversationGrantStore extends ConversationGrantStore {
  private readonly memory: ConversationGrantStore;

  constructor(
    db: Database,
    private readonly space: PrivateSpace,
  ) {
    super(db);
    this.memory = new ConversationGrantStore(space.db);
  }

  override allowForConversation(conversationId: string, toolName: string, at: number, by: string | null = null): void {
    if (this.space.has(conversationId)) this.memory.allowForConversation(conversationId, toolName, at, by);
    else super.allowForConversation(conversationId, toolName, at, by);
  }

  override isAllowed(conversationId: string, toolName: string): boolean {
    return this.space.has(conversationId) ? this.memory.isAllowed(conversationId, toolName) : super.isAllowed(conversationId, toolName);
  }

  override allowance(conversationId: string, toolName: string): { by: string | null } | undefined {
    return this.space.has(conversationId) ? this.memory.allowance(conversationId, toolName) : super.allowance(conversationId, toolName);
  }

  override addTaint(conversationId: string, source: TaintSource): void {
    if (this.space.has(conversationId)) this.memory.addTaint(conversationId, source);
    else super.addTaint(conversationId, source);
  }

  override taint(conversationId: string): TaintSource[] {
    return this.space.has(conversationId) ? this.memory.taint(conversationId) : super.taint(conversationId);
  }

  override recentTaint(conversationId: string, distinct?: number): Array<Pick<TaintSource, 'description'>> {
    return this.space.has(conversationId) ? this.memory.recentTaint(conversationId, distinct) : super.recentTaint(conversationId, distinct);
  }
}

/**
 * A private conversation's reply is never drafted: it would put its words on disk, and the conversation itself
 * ends with the process anyway.
 */
export class RoutedReplyDraftStore extends ReplyDraftStore {
  constructor(db: Database, private readonly space: PrivateSpace, redactor?: Redactor) {
    super(db, redactor);
  }

  override save(draft: ReplyDraft): void {
    if (!this.space.has(draft.conversationId)) super.save(draft);
  }

  override settle<T>(conversationId: string, write: () => T): T {
    return this.space.has(conversationId) ? write() : super.settle(conversationId, write);
  }

  override discard(conversationId: string): void {
    if (!this.space.has(conversationId)) super.discard(conversationId);
  }
}
