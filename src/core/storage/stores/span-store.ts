import type { Database, Statement } from 'better-sqlite3';
import type { SpanEvent, SpanRecord } from '../../../shared/domain/span';
import type { TraceFilter, TraceSummary } from '../../../shared/domain/trace';
import { failureCause } from '../../../shared/span-failure';
import { randomHexId } from '../../telemetry/span-ids';

/** How far back from the newest span the start-up repair looks: a turn lasts minutes (its wall-time budget). */
const RECENT_MS = 24 * 60 * 60 * 1000;
const INTERRUPTED_TURN = 'Portcullis stopped before this turn ended: only the steps that had finished are here.';

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
  events_json: string | null;
}

interface SummaryRow {
  trace_id: string;
  name: string;
  conversation_id: string | null;
  start_time: number;
  end_time: number;
  status: TraceSummary['status'];
  span_count: number;
  error_count: number;
  denied_count: number;
  tool_names: string | null;
}

export const SPAN_COLUMNS = 'span_id, trace_id, parent_span_id, name, kind, start_time, end_time, status, status_message, attributes_json, events_json';

function toRecord(row: SpanRow): SpanRecord {
  const record: SpanRecord = {
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
  };
  if (row.events_json) record.events = JSON.parse(row.events_json) as SpanEvent[];
  return record;
}

/**
 * SQL for "the failed span `s` failed only because its turn was stopped" (or "…was denied"): its own error says so,
 * or it wrote a message with no code of its own and a failed step right inside it was stopped (a sandbox step
 * around the cancelled server call). `failure_cause` is `failureCause`, registered on the connection.
 */
const failedFor = (cause: 'stopped' | 'denied') => (s: string) => `(
  failure_cause(${s}.status_message, ${s}.events_json) IS '${cause}'
  OR (failure_cause(${s}.status_message, ${s}.events_json) IS NULL AND EXISTS (
    SELECT 1 FROM spans c WHERE c.trace_id = ${s}.trace_id AND c.parent_span_id = ${s}.span_id AND c.status = 'error'
      AND failure_cause(c.status_message, c.events_json) IS '${cause}')))`;
const stoppedSpan = failedFor('stopped');
/** A refusal (a policy rule's deny, the person's): a decision, not a fault. */
const deniedSpan = failedFor('denied');
/** A failed step that is someone's error: a stop or a deny is not counted among a trace's errors. */
const failedSpan = (s: string) => `(${s}.status = 'error' AND NOT ${stoppedSpan(s)} AND NOT ${deniedSpan(s)})`;
/**
 * A failed span counted among a trace's errors: not one whose failed child says the very same (a failed tool's
 * error is its execute_tool span's and its sandbox span's), so one failed call reads "1 error", not "2 errors".
 */
const countedError = (s: string) => `(${failedSpan(s)} AND NOT EXISTS (
  SELECT 1 FROM spans e WHERE e.trace_id = ${s}.trace_id AND e.parent_span_id = ${s}.span_id AND e.status = 'error' AND e.status_message IS ${s}.status_message))`;
/** How the turn ended: a root that failed only because the person stopped it ended "stopped", not in an error. */
const turnStatus = (r: string) => `(CASE WHEN ${r}.status = 'error' AND ${stoppedSpan(r)} THEN 'stopped' ELSE ${r}.status END)`;

/** Stores span batches somewhere other than this connection's thread; reads call `drain` first. */
export interface SpanWriter {
  write(spans: readonly SpanRecord[]): void;
  /** Returns once every batch handed to `write` is stored (or could not be). */
  drain(): void;
}

/**
 * Whether a tool's name matches the traces list's tool filter: a part of the name ("write", "filesystem."), or, with a
 * `*` or `?` in it, a glob over the whole name, as policy rules and `--approve` take them ("fs.*", "github.get_*").
 * Both ignore case.
 */
function toolNameMatches(column: string, filter: string): string {
  return `(CASE WHEN ${filter} GLOB '*[*?]*' THEN lower(${column}) GLOB lower(${filter}) ELSE instr(lower(${column}), lower(${filter})) > 0 END)`;
}

/** Spans for the trace viewer. Everything written here has already been redacted by the span processor. */
export class SpanStore {
  private readonly insertStatement: Statement;
  private readonly byTraceStatement: Statement<[string], SpanRow>;
  private readonly listStatement: Statement<Record<string, unknown>, SummaryRow>;
  private readonly countStatement: Statement<[], { n: number }>;
  private readonly containsStatement: Statement<[string, string], { found: number }>;
  private readonly counterGet: Statement<[string], { value: number }>;
  private readonly counterAdd: Statement;
  private readonly deleteBefore: Statement;
  private readonly insertMany: (spans: readonly SpanRecord[]) => void;

  /** `writer`: where batches are written instead of this connection (the span writer thread). */
  constructor(private readonly db: Database, private readonly writer?: SpanWriter) {
    this.insertStatement = db.prepare(`
      INSERT INTO spans
        (span_id, trace_id, parent_span_id, name, kind, start_time, end_time, status, status_message, attributes_json, events_json)
      VALUES (@spanId, @traceId, @parentSpanId, @name, @kind, @startTime, @endTime, @status, @statusMessage, @attributesJson, @eventsJson)`);
    this.byTraceStatement = db.prepare(`SELECT ${SPAN_COLUMNS} FROM spans WHERE trace_id = ? ORDER BY start_time, rowid`);
    db.function('failure_cause', { deterministic: true }, (statusMessage: unknown, eventsJson: unknown) =>
      failureCause(typeof statusMessage === 'string' ? statusMessage : null, typeof eventsJson === 'string' ? (JSON.parse(eventsJson) as SpanEvent[]) : undefined));
    this.listStatement = db.prepare(`
      SELECT r.trace_id, r.name, r.conversation_id, r.start_time, r.end_time, ${turnStatus('r')} AS status,
        (SELECT count(*) FROM spans s WHERE s.trace_id = r.trace_id) AS span_count,
        (SELECT count(*) FROM spans s WHERE s.trace_id = r.trace_id AND ${countedError('s')}) AS error_count,
        (SELECT count(*) FROM spans s WHERE s.trace_id = r.trace_id AND s.kind = 'tool' AND s.status = 'error' AND ${deniedSpan('s')}) AS denied_count,
        (SELECT group_concat(DISTINCT s.tool_name) FROM spans s WHERE s.trace_id = r.trace_id AND s.kind = 'tool' AND s.tool_name IS NOT NULL) AS tool_names
      FROM spans r
      WHERE r.parent_span_id IS NULL
        AND (@conversationId IS NULL OR r.conversation_id = @conversationId)
        AND (@toolName IS NULL OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = r.trace_id AND s.kind = 'tool' AND ${toolNameMatches('s.tool_name', '@toolName')}))
        AND (@status IS NULL OR ${turnStatus('r')} = @status)
        AND (@errorsOnly = 0 OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = r.trace_id AND ${failedSpan('s')}))
        AND (@since IS NULL OR r.start_time >= @since)
        AND (@until IS NULL OR r.start_time <= @until)
      ORDER BY r.start_time DESC
      LIMIT @limit`);
    this.countStatement = db.prepare('SELECT count(*) AS n FROM spans');
    this.containsStatement = db.prepare('SELECT 1 AS found FROM spans WHERE trace_id = ? AND span_id = ? LIMIT 1');
    this.counterGet = db.prepare('SELECT value FROM telemetry_counters WHERE name = ?');
    this.counterAdd = db.prepare(`
      INSERT INTO telemetry_counters (name, value, updated_at) VALUES (@name, @by, @at)
      ON CONFLICT(name) DO UPDATE SET value = value + @by, updated_at = @at`);
    this.deleteBefore = db.prepare(
      'DELETE FROM spans WHERE trace_id IN (SELECT trace_id FROM spans WHERE parent_span_id IS NULL AND end_time < ?)',
    );
    this.insertMany = db.transaction((spans: readonly SpanRecord[]) => {
      for (const span of spans) {
        this.insertStatement.run({
          ...span,
          attributesJson: JSON.stringify(span.attributes),
          eventsJson: span.events && span.events.length > 0 ? JSON.stringify(span.events) : null,
        });
      }
    });
  }

  insert(spans: readonly SpanRecord[]): void {
    if (this.writer) this.writer.write(spans);
    else this.insertMany(spans);
  }

  /** Returns once every batch handed to `insert` is in the file (they may go through the span writer thread). */
  settle(): void {
    this.writer?.drain();
  }

  byTrace(traceId: string): SpanRecord[] {
    this.settle();
    return this.byTraceStatement.all(traceId).map(toRecord);
  }

  /** Finished traces (those whose root span has ended), newest first. */
  listTraces(filter: TraceFilter = {}): TraceSummary[] {
    this.settle();
    const rows = this.listStatement.all({
      conversationId: filter.conversationId ?? null,
      toolName: filter.toolName ?? null,
      status: filter.status ?? null,
      errorsOnly: filter.errorsOnly ? 1 : 0,
      since: filter.since ?? null,
      until: filter.until ?? null,
      limit: filter.limit ?? 200,
    });
    return rows.map((row) => ({
      traceId: row.trace_id,
      name: row.name,
      conversationId: row.conversation_id,
      startTime: row.start_time,
      endTime: row.end_time,
      spanCount: row.span_count,
      errorCount: row.error_count,
      deniedCount: row.denied_count,
      status: row.status,
      toolNames: row.tool_names ? row.tool_names.split(',').sort() : [],
    }));
  }

  /** Whether this span is stored (a span id is unique within its trace only). Reads this connection as it is. */
  contains(span: Pick<SpanRecord, 'traceId' | 'spanId'>): boolean {
    return this.containsStatement.get(span.traceId, span.spanId) !== undefined;
  }

  count(): number {
    this.settle();
    return this.countStatement.get()!.n;
  }

  /**
   * At start-up: a turn the previous run was killed in left its finished spans and no root (spans are stored
   * when they end). Each such trace gets a root, an error that says so, spanning what is there, and the spans
   * whose parent never ended hang from it: the trace is then listed, shown as a tree and cut by retention like
   * any other. Only the newest day of spans is looked at, where the last run's turns are; or, with `only`, those
   * traces (the turns of a process that ended while this one runs). `except`: traces of turns another process still
   * runs (a `portcullis chat` beside the app), whose root is written when their turn ends.
   */
  closeInterruptedTraces(conversationOf: (traceId: string, from: number, to: number) => string | null = () => null, only?: readonly string[], except: readonly string[] = []): number {
    this.settle();
    type Rootless = { trace_id: string; start_time: number; end_time: number; conversation_id: string | null };
    const rootlessOf = (where: string) => `
      SELECT trace_id, min(start_time) AS start_time, max(end_time) AS end_time, max(conversation_id) AS conversation_id
      FROM spans s WHERE ${where}
      GROUP BY trace_id
      HAVING NOT EXISTS (SELECT 1 FROM spans r WHERE r.trace_id = s.trace_id AND r.parent_span_id IS NULL)`;
    const adopt = this.db.prepare(`
      UPDATE spans SET parent_span_id = @root WHERE trace_id = @traceId AND parent_span_id IS NOT NULL
        AND parent_span_id NOT IN (SELECT span_id FROM spans WHERE trace_id = @traceId)`);
    // Read inside the write transaction: two processes that find the same ended turn must not both give it a root.
    return this.db.transaction(() => {
      const rootless = (only
        ? only.flatMap((traceId) => this.db.prepare<[string], Rootless>(rootlessOf('trace_id = ?')).all(traceId))
        : this.db.prepare<[], Rootless>(rootlessOf(`start_time >= (SELECT max(start_time) FROM spans) - ${RECENT_MS}`)).all()
      ).filter((trace) => !except.includes(trace.trace_id));
      for (const trace of rootless) {
        const root = randomHexId(8);
        const conversationId = trace.conversation_id ?? conversationOf(trace.trace_id, trace.start_time - 60_000, trace.end_time + 60_000);
        this.insertMany([{
          spanId: root, traceId: trace.trace_id, parentSpanId: null, name: 'invoke_agent portcullis', kind: 'turn',
          startTime: trace.start_time, endTime: trace.end_time, status: 'error', statusMessage: INTERRUPTED_TURN,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'portcullis.turn.interrupted': true, ...(conversationId ? { 'gen_ai.conversation.id': conversationId } : {}) },
        }]);
        adopt.run({ root, traceId: trace.trace_id });
      }
      return rootless.length;
    }).immediate();
  }

  /** Retention: removes whole traces whose root ended before `epochMs`. Returns the spans removed. */
  deleteTracesEndedBefore(epochMs: number): number {
    this.settle();
    return this.deleteBefore.run(epochMs).changes;
  }

  counter(name: string): number {
    return this.counterGet.get(name)?.value ?? 0;
  }

  addToCounter(name: string, by: number, at: number): void {
    this.counterAdd.run({ name, by, at });
  }
}
