import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dataFolderPaths } from '../../core/config/data-paths';
import { SpanStore } from '../../core/storage/stores/span-store';
import { spansForViewer } from '../../core/telemetry/trace-access';
import type { SpanRecord } from '../../shared/domain/span';
import type { TraceSummary } from '../../shared/domain/trace';
import { AppError, messageOf } from '../../shared/errors';
import { deniedOnly, stoppedOnly } from '../../shared/span-failure';
import { CliUsageError, type CommandContext } from '../command';

export const tracesHelp = `portcullis traces list [--limit N] [--conversation ID] [--tool NAME] [--json] [--data-dir D]
  Lists the newest finished traces, newest first (20 unless --limit, at most 1000): the trace id, when it started
  (UTC), how it ended (ok, error, stopped; and how many calls were denied or failed), how long it took, and what it
  was: the conversation's title and the tools it called. --conversation and --tool keep only those traces (--tool: a
  part of a tool's name, or a glob over it, "fs.*").
portcullis traces show TRACE_ID [--content] [--json] [--data-dir D]
  Prints one trace's steps as the trace viewer shows them, each under the step it is part of: its status (ok,
  error, denied, stopped), when it started and how long it took, the policy's decision and rule, the approval and
  who gave it, why it failed, and its events; a trace still under way (waiting for an approval) is said so, with the
  steps that ended. TRACE_ID is what \`tools call\` prints. Captured content (arguments,
  results) is left out unless --content. Both read the stored traces only (opened read-only), so they work beside a
  running Portcullis too, and start no server.`;

const TRACE_ID = /^[0-9a-f]{32}$/;

export async function tracesCommand(context: CommandContext): Promise<number> {
  const { values, positionals, out } = context;
  const [sub, ...rest] = positionals;
  if (sub === 'list' && rest.length === 0) return list(context);
  if (sub !== 'show' || rest.length !== 1) throw new CliUsageError('Say "traces list" or "traces show TRACE_ID" (the id `portcullis tools call` prints, or the list shows).');
  const traceId = rest[0]!.trim().toLowerCase();
  if (!TRACE_ID.test(traceId)) throw new CliUsageError(`A trace id is 32 hex characters, as \`portcullis tools call\` prints it; "${rest[0]}" is not one.`);
  const spans = spansForViewer(storedSpans(values['data-dir'], traceId), values.content === true);
  if (spans.length === 0) {
    // A private conversation's trace is kept in its Portcullis' memory only, never in traces.db.
    const why = `No spans are stored for trace ${traceId}. It may have passed the retention period, be in another data folder (--data-dir), or be a private conversation's (kept in the app's memory only: its Trace button shows it).`;
    if (values.json) out(JSON.stringify({ traceId, spans: [], error: why }));
    else out(why);
    return 1;
  }
  // A step is stored when it ends, the turn's (or call's) own step last: without it the trace is still under way
  // (a call waiting for an approval in the running app), or its Portcullis stopped before it ended.
  const underWay = !spans.some((span) => span.parentSpanId === null);
  if (values.json) {
    out(JSON.stringify({ traceId, spans: inTreeOrder(spans).map(({ span, status }) => ({ ...span, shownStatus: status })), underWay }));
    return 0;
  }
  const start = Math.min(...spans.map((span) => span.startTime));
  for (const line of describeTrace(traceId, spans, start, underWay)) out(line);
  return 0;
}

/** The newest traces, as the trace viewer's list has them, each with its conversation's title. */
function list({ values, out }: CommandContext): number {
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) throw new CliUsageError(`--limit takes a whole number from 1 to 1000, not "${values.limit}".`);
  const filter = { limit, ...(values.conversation ? { conversationId: values.conversation } : {}), ...(values.tool ? { toolName: values.tool } : {}) };
  const summaries = readOnly(dataFolderPaths(values['data-dir']).tracesFile, (db) => new SpanStore(db).listTraces(filter)) ?? [];
  const titles = conversationTitles(values['data-dir']);
  const traces = summaries.map((trace) => ({ ...trace, conversationTitle: (trace.conversationId && titles.get(trace.conversationId)) || null }));
  if (values.json) out(JSON.stringify({ traces }));
  else if (traces.length === 0) out('No traces are stored yet (or none match).');
  else for (const trace of traces) out(listLine(trace));
  return 0;
}

/** `<id>  <start> UTC  <outcome>  <duration>  <what>`: one line a script can cut the id from. */
function listLine(trace: TraceSummary & { conversationTitle: string | null }): string {
  const counts = [trace.deniedCount > 0 ? `${trace.deniedCount} denied` : '', trace.errorCount > 0 ? `${trace.errorCount} failed` : ''].filter(Boolean);
  const outcome = `${trace.status}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`;
  const tools = trace.toolNames.length > 0 ? `, tools: ${trace.toolNames.join(' ')}` : '';
  return `${trace.traceId}  ${utcTime(trace.startTime)} UTC  ${outcome}  ${ms(trace.endTime - trace.startTime)}  ${trace.conversationTitle ?? trace.name}${tools}`;
}

/**
 * The conversations' titles (masked as stored), read from the database opened read-only, as the traces are; none when
 * it is not there or not readable as expected (a trace is then named by its root step).
 */
function conversationTitles(dataDir: string | undefined): Map<string, string> {
  try {
    const rows = readOnly(dataFolderPaths(dataDir).databaseFile, (db) => db.prepare<[], { id: string; title: string }>('SELECT id, title FROM conversations').all());
    return new Map((rows ?? []).map((row) => [row.id, row.title]));
  } catch {
    return new Map();
  }
}

/**
 * The trace's spans as stored, read from `traces.db` opened read-only: no runtime starts (no second copy of the MCP
 * servers beside a running app), nothing is written, and a running app's writes go on. None when there is no file.
 */
function storedSpans(dataDir: string | undefined, traceId: string): SpanRecord[] {
  return readOnly(dataFolderPaths(dataDir).tracesFile, (db) => new SpanStore(db).byTrace(traceId)) ?? [];
}

/** `read` on the file opened read-only; undefined when there is no file. */
function readOnly<T>(file: string, read: (db: BetterSqlite3.Database) => T): T | undefined {
  if (!existsSync(file)) return undefined;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } catch (error) {
    // On a read-only disk (a backup, a snapshot) SQLite cannot make the file's -shm beside it, and says only this.
    if ((error as { code?: unknown }).code !== 'SQLITE_CANTOPEN') throw error;
    throw new AppError('DATABASE_ERROR', `Could not read ${file} (${messageOf(error)}). When its folder cannot be written to (a read-only disk, a backup or snapshot), SQLite cannot read it: copy the data folder somewhere writable and give that as --data-dir.`, { cause: error });
  } finally {
    db.close();
  }
}

type ShownStatus = 'ok' | 'error' | 'denied' | 'stopped';

interface OrderedSpan {
  span: SpanRecord;
  depth: number;
  status: ShownStatus;
}

/** Children under their parent, by start time, as the viewer's waterfall lists them; an orphan is shown as a root. */
function inTreeOrder(spans: readonly SpanRecord[]): OrderedSpan[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, SpanRecord[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startTime - b.startTime);
  const ordered: OrderedSpan[] = [];
  const seen = new Set<string>();
  const visit = (span: SpanRecord, depth: number): void => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    const inside = children.get(span.spanId) ?? [];
    // A refusal or a stop is a decision, not an error: said as the viewer says it.
    const status: ShownStatus = span.status === 'ok' ? 'ok' : stoppedOnly(span, inside) ? 'stopped' : deniedOnly(span, inside) ? 'denied' : 'error';
    ordered.push({ span, depth, status });
    for (const child of inside) visit(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  for (const span of spans) visit(span, 0);
  return ordered;
}

const ms = (value: number): string => (value < 1_000 ? `${Math.round(value)} ms` : `${(value / 1_000).toFixed(2)} s`);
const text = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

/** A time the trace keeps as epoch ms (`portcullis.approval.expires_at`) is said as a UTC time. */
function shownValue(key: string, value: unknown): string {
  return key.endsWith('_at') && typeof value === 'number' && Number.isFinite(value) ? `${utcTime(value)} UTC` : String(value);
}

const utcTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** A header line, then a line per step (indented by depth) and the lines that say what it decided and why. */
function describeTrace(traceId: string, spans: readonly SpanRecord[], start: number, underWay: boolean): string[] {
  const end = Math.max(...spans.map((span) => span.endTime));
  const steps = `${spans.length} ${spans.length === 1 ? 'step' : 'steps'}`;
  const lines = [
    underWay
      ? `trace ${traceId}  ${utcTime(start)} UTC, UNDER WAY: ${steps} ended so far (a step is stored when it ends, the turn's own last; one its Portcullis stopped in is closed at its next start). Show it again once it has ended.`
      : `trace ${traceId}  ${utcTime(start)} UTC, ${ms(end - start)}, ${steps}`,
  ];
  for (const { span, depth, status } of inTreeOrder(spans)) {
    const indent = '  '.repeat(depth + 1);
    lines.push(`${indent}${span.kind} ${span.name}: ${status}, at +${ms(span.startTime - start)}, took ${ms(span.endTime - span.startTime)}`);
    const more = `${indent}    `;
    const attrs = span.attributes;
    const effect = text(attrs['portcullis.policy.effect']);
    if (effect) {
      const rule = text(attrs['portcullis.policy.rule_id']);
      const reason = text(attrs['portcullis.policy.reason']);
      lines.push(`${more}decision: ${effect}${rule ? ` (rule ${rule})` : ''}${reason ? `: ${reason}` : ''}`);
    }
    const approval = text(attrs['portcullis.approval.outcome']);
    if (approval) {
      const note = text(attrs['portcullis.approval.note']);
      lines.push(`${more}approval: ${approval}, decided by ${text(attrs['portcullis.approval.decided_by']) ?? 'unknown'}${note ? ` (${note})` : ''}`);
    }
    if (span.statusMessage) lines.push(`${more}${status === 'denied' || status === 'stopped' ? 'why' : 'error'}: ${span.statusMessage}`);
    for (const event of span.events ?? []) {
      const said = Object.entries(event.attributes).map(([key, value]) => ` ${key}=${shownValue(key, value)}`).join('');
      lines.push(`${more}event at +${ms(event.time - start)}: ${event.name}${said}`);
    }
  }
  return lines;
}
