import type { Database, Statement } from 'better-sqlite3';
import type { SpanRecord } from '../../../shared/domain/span';

interface SpanRow {
  span_id: string;
  trace_id: string;
  parent_span_id: string | null;
  name: string;
  kind: SpanRecord['kind'];
  start_time: number;
  end_time: number;
  status: SpanRecord['status'];
  status_message: string | null;
  attributes_json: string;
}

export class SpanStore {
  private readonly insertStatement: Statement;
  private readonly byTraceStatement: Statement<[string], SpanRow>;
  private readonly insertMany: (spans: readonly SpanRecord[]) => void;

  constructor(db: Database) {
    this.insertStatement = db.prepare(`
      INSERT OR REPLACE INTO spans
        (span_id, trace_id, parent_span_id, name, kind, start_time, end_time, status, status_message, attributes_json)
      VALUES (@spanId, @traceId, @parentSpanId, @name, @kind, @startTime, @endTime, @status, @statusMessage, @attributesJson)`);
    this.byTraceStatement = db.prepare('SELECT * FROM spans WHERE trace_id = ? ORDER BY start_time, rowid');
    this.insertMany = db.transaction((spans: readonly SpanRecord[]) => {
      for (const span of spans) this.insertStatement.run({ ...span, attributesJson: JSON.stringify(span.attributes) });
    });
  }

  insert(spans: readonly SpanRecord[]): void {
    this.insertMany(spans);
  }

  byTrace(traceId: string): SpanRecord[] {
    return this.byTraceStatement.all(traceId).map((row) => ({
      traceId: row.trace_id,
      spanId: row.span_id,
      parentSpanId: row.parent_span_id,
      name: row.name,
      kind: row.kind,
      startTime: row.start_time,
      endTime: row.end_time,
      status: row.status,
      statusMessage: row.status_message,
      attributes: JSON.parse(row.attributes_json) as SpanRecord['attributes'],
    }));
  }
}
