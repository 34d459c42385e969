import type { Database, Statement } from 'better-sqlite3';

/** One entry for the audit chain: what was cut, when and why. */
export interface AuditEntry {
  type: string;
  at: number;
  detail: Record<string, unknown>;
}

/**
 * Where retention reports its cuts, so deleting history is never silent. The audit log (issue 4) plugs in
 * here; until then `RetentionCutLog` keeps the entries in their own table, which retention never deletes.
 */
export interface AuditSink {
  append(entry: AuditEntry): void;
}

export class RetentionCutLog implements AuditSink {
  private readonly insertStatement: Statement;
  private readonly listStatement: Statement<[], { at: number; reason: string; detail_json: string }>;

  constructor(db: Database) {
    this.insertStatement = db.prepare('INSERT INTO retention_cuts (at, reason, detail_json) VALUES (?, ?, ?)');
    this.listStatement = db.prepare('SELECT at, reason, detail_json FROM retention_cuts ORDER BY seq');
  }

  append(entry: AuditEntry): void {
    this.insertStatement.run(entry.at, entry.type, JSON.stringify(entry.detail));
  }

  list(): AuditEntry[] {
    return this.listStatement.all().map((row) => ({ type: row.reason, at: row.at, detail: JSON.parse(row.detail_json) as Record<string, unknown> }));
  }
}
