import type { Database, Statement } from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { ConversationDeletion } from '../../shared/domain/conversation';
import {
  DEFAULT_RETENTION, RetentionSettingsSchema, type RetentionReport, type RetentionSettings, type RetentionSettingsInput,
} from '../../shared/domain/memory';
import type { Clock } from '../clock';
import type { SettingsStore } from '../storage/stores/settings-store';
import { deleteConversationRows } from '../storage/delete-conversation-rows';
import { guardWrite } from '../storage/storage-error';
import type { AuditSink } from './audit-sink';

const DAY_MS = 86_400_000;
const SETTINGS_KEY = 'retention';

/** One SQLite file and its connection. */
export interface DatabaseFile {
  db: Database;
  file: string;
}

export interface RetentionDeps extends DatabaseFile {
  /** `traces.db`: spans live there, and its size counts towards the cap. */
  traces: DatabaseFile;
  settings: SettingsStore;
  audit: AuditSink;
  clock: Clock;
  /** Puts every span finished so far into the file first, so a cut also removes the ones still on their way. */
  settleSpans?: () => void;
}

/**
 * Applies the person's retention settings: old conversations (with their messages, tool calls and approvals),
 * old traces (in `traces.db`), and the oldest conversations while the two files are over the cap. Deleted
 * content is overwritten (secure_delete), the WALs are truncated and free pages go back to the disk (incremental
 * vacuum). Every cut is appended to the audit sink; the audit chain itself is never cut here.
 */
export class RetentionService {
  private readonly deleteConversationsBefore: Statement;
  private readonly deleteSpansBefore: Statement;
  private readonly oldestConversations: Statement<[number], { id: string }>;
  private readonly deleteConversationStatement: Statement;
  private readonly countSpans: Statement<[], { n: number }>;
  private readonly countTraces: Statement<[], { n: number }>;
  private readonly deleteOldestTraces: Statement<[number]>;
  private readonly deleteAllSpans: Statement<[]>;

  constructor(private readonly deps: RetentionDeps) {
    const { db } = deps;
    this.deleteConversationsBefore = db.prepare('DELETE FROM conversations WHERE updated_at < ?');
    this.deleteSpansBefore = deps.traces.db.prepare('DELETE FROM spans WHERE start_time < ?');
    this.countSpans = deps.traces.db.prepare('SELECT count(*) AS n FROM spans');
    this.countTraces = deps.traces.db.prepare('SELECT count(*) AS n FROM spans WHERE parent_span_id IS NULL');
    this.deleteOldestTraces = deps.traces.db.prepare(
      'DELETE FROM spans WHERE trace_id IN (SELECT trace_id FROM spans WHERE parent_span_id IS NULL ORDER BY start_time LIMIT ?)',
    );
    this.deleteAllSpans = deps.traces.db.prepare('DELETE FROM spans');
    this.oldestConversations = db.prepare('SELECT id FROM conversations ORDER BY updated_at, rowid LIMIT ?');
    this.deleteConversationStatement = db.prepare('DELETE FROM conversations WHERE id = ?');
  }

  get settings(): RetentionSettings {
    return this.deps.settings.get(SETTINGS_KEY, RetentionSettingsSchema, DEFAULT_RETENTION);
  }

  update(settings: RetentionSettingsInput): RetentionSettings {
    return this.deps.settings.set(SETTINGS_KEY, RetentionSettingsSchema, RetentionSettingsSchema.parse(settings), this.deps.clock.now());
  }

  /** Puts every span finished so far into `traces.db` (they may still be on their way to the span writer thread). */
  settleSpans(): void {
    this.deps.settleSpans?.();
  }

  /** Applies the settings now. `reason` goes into the audit entry ("start", "periodic", "purge now"). */
  run(reason: string): RetentionReport {
    const { db, clock } = this.deps;
    this.settleSpans();
    const settings = this.settings;
    const now = clock.now();
    const bytesBefore = this.databaseBytes();
    const before = this.counts();
    const { conversationDays, traceDays } = settings;
    guardWrite('the retention run', () => {
      if (conversationDays !== null) db.transaction(() => this.deleteConversationsBefore.run(now - conversationDays * DAY_MS)).immediate();
      if (traceDays !== null) this.deleteSpansBefore.run(now - traceDays * DAY_MS);
    });
    this.reclaim();
    if (settings.maxDatabaseMb !== null) this.enforceCap(settings.maxDatabaseMb * 1024 * 1024);
    const after = this.counts();
    const report: RetentionReport = {
      reason,
      conversations: before.conversations - after.conversations,
      messages: before.messages - after.messages,
      spans: before.spans - after.spans,
      bytesBefore,
      bytesAfter: this.databaseBytes(),
    };
    if (report.conversations + report.messages + report.spans > 0) {
      this.deps.audit.append({ type: 'retention.cut', at: now, detail: { ...report, settings } });
    }
    return report;
  }

  /** Deletes every conversation, message, memory and trace; settings and the audit chain stay. */
  deleteEverything(): RetentionReport {
    const { db, clock, traces } = this.deps;
    this.settleSpans();
    const bytesBefore = this.databaseBytes();
    const before = this.counts();
    guardWrite('the deletion', () => {
      db.transaction(() => db.exec('DELETE FROM memories; DELETE FROM conversations;')).immediate();
      traces.db.exec('DELETE FROM spans');
    });
    for (const file of this.files()) {
      file.db.exec('VACUUM');
      file.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    const report: RetentionReport = {
      reason: 'delete everything',
      conversations: before.conversations,
      messages: before.messages,
      spans: before.spans,
      bytesBefore,
      bytesAfter: this.databaseBytes(),
    };
    this.deps.audit.append({ type: 'retention.delete_everything', at: clock.now(), detail: { ...report, memories: before.memories } });
    return report;
  }

  /**
   * Deletes one conversation the person chose, with its messages, tool calls, approvals and traces, overwritten
   * and reclaimed like a retention cut, and says so in the audit sink. Null when there is no such conversation.
   */
  deleteConversation(conversationId: string): ConversationDeletion | null {
    const { db, traces, clock } = this.deps;
    this.settleSpans();
    const deleted = guardWrite('the deletion', () => deleteConversationRows(db, traces.db, conversationId));
    if (!deleted) return null;
    this.reclaim();
    this.deps.audit.append({ type: 'conversation.deleted', at: clock.now(), detail: { conversationId, ...deleted } });
    return deleted;
  }

  /** Both files (`portcullis.db` and `traces.db`) with their WALs, in bytes. */
  databaseBytes(): number {
    let bytes = 0;
    for (const { db, file } of this.files()) {
      const pages = db.pragma('page_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      bytes += pages * pageSize + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    }
    return bytes;
  }

  private files(): DatabaseFile[] {
    return [this.deps, this.deps.traces];
  }

  /**
   * Over the cap, the oldest traces go first (they are diagnostics), then the oldest conversations, a twentieth at
   * a time. Traces first also means a cap that the traces alone exceed never costs a conversation while any
   * trace is left.
   */
  private enforceCap(capBytes: number): void {
    for (let guard = 0; guard < 1_000 && this.databaseBytes() > capBytes; guard++) {
      if (!this.cutOldestTraces() && !this.cutOldestConversations()) return;
      this.reclaim();
    }
  }

  private cutOldestTraces(): boolean {
    if (this.countSpans.get()!.n === 0) return false;
    const traces = this.countTraces.get()!.n;
    // Spans whose root was never stored (dropped, or a trace cut off by a crash) go once no whole trace is left.
    guardWrite('the retention run', () => (traces > 0 ? this.deleteOldestTraces.run(Math.ceil(traces / 20)) : this.deleteAllSpans.run()));
    return true;
  }

  private cutOldestConversations(): boolean {
    const { db } = this.deps;
    const ids = this.oldestConversations.all(Math.ceil(this.counts().conversations / 20)).map((row) => row.id);
    if (ids.length === 0) return false;
    guardWrite('the retention run', () => db.transaction(() => { for (const id of ids) this.deleteConversationStatement.run(id); }).immediate());
    return true;
  }

  /** Moves committed deletes out of the WALs and returns free pages to the file system. */
  private reclaim(): void {
    for (const { db } of this.files()) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('incremental_vacuum');
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }

  private counts(): { conversations: number; messages: number; spans: number; memories: number } {
    const main = this.deps.db
      .prepare(`SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages,
        (SELECT count(*) FROM memories) AS memories`)
      .get() as { conversations: number; messages: number; memories: number };
    return { ...main, spans: this.countSpans.get()!.n };
  }
}
