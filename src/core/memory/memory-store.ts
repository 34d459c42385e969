import type { Database, Statement } from 'better-sqlite3';
import type { Memory } from '../../shared/domain/memory';
import { NotFoundError } from '../../shared/errors';
import type { Redactor } from '../redaction/redactor';
import { guardWrite } from '../storage/storage-error';

interface MemoryRow {
  id: string;
  content: string;
  source_message_id: string | null;
  conversation_id: string | null;
  taint_source: string | null;
  created_at: number;
  updated_at: number;
}

const toMemory = (row: MemoryRow): Memory => ({
  id: row.id,
  content: row.content,
  sourceMessageId: row.source_message_id,
  conversationId: row.conversation_id,
  ...(row.taint_source !== null ? { taintSource: row.taint_source } : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Long-term memories. The full-text index follows every change through triggers (migration 6). */
export class MemoryStore {
  private readonly insertStatement: Statement;
  private readonly updateStatement: Statement;
  private readonly deleteStatement: Statement;
  private readonly getStatement: Statement<[string], MemoryRow>;
  private readonly listStatement: Statement<[number], MemoryRow>;

  /** `redactor`: masks known secrets in what is kept, as every store does before it writes (a memory the model saves is its words). */
  constructor(
    db: Database,
    private readonly redactor?: Redactor,
  ) {
    this.insertStatement = db.prepare(`
      INSERT INTO memories (id, content, source_message_id, conversation_id, taint_source, created_at, updated_at)
      VALUES (@id, @content, @sourceMessageId, @conversationId, @taintSource, @createdAt, @updatedAt)`);
    this.updateStatement = db.prepare('UPDATE memories SET content = ?, updated_at = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM memories WHERE id = ?');
    this.getStatement = db.prepare('SELECT * FROM memories WHERE id = ?');
    this.listStatement = db.prepare('SELECT * FROM memories ORDER BY updated_at DESC, seq DESC LIMIT ?');
  }

  save(memory: Memory): Memory {
    const kept: Memory = { ...memory, content: this.masked(memory.content), ...(memory.taintSource ? { taintSource: this.masked(memory.taintSource) } : {}) };
    guardWrite('the memory', () => this.insertStatement.run({ ...kept, taintSource: kept.taintSource ?? null }));
    return kept;
  }

  update(id: string, content: string, at: number): Memory {
    const changed = guardWrite('the memory', () => this.updateStatement.run(this.masked(content), at, id)).changes;
    if (changed === 0) throw new NotFoundError(`There is no memory with id ${id}. It may have been deleted.`);
    return this.get(id)!;
  }

  /** Returns false when there was nothing to delete. */
  delete(id: string): boolean {
    return guardWrite('the deletion', () => this.deleteStatement.run(id)).changes === 1;
  }

  get(id: string): Memory | undefined {
    const row = this.getStatement.get(id);
    return row ? toMemory(row) : undefined;
  }

  list(limit = 500): Memory[] {
    return this.listStatement.all(limit).map(toMemory);
  }

  private masked(text: string): string {
    return this.redactor ? this.redactor.redactText(text) : text;
  }
}
