import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import { migrate } from '../../src/core/storage/migrate';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { tempDir } from '../helpers/temp-dir';

function span(traceId: string, spanId: string, parentSpanId: string | null, kind: SpanRecord['kind'], start: number, failed?: string): SpanRecord {
  return {
    traceId, spanId, parentSpanId, kind, name: `${kind} ${spanId}`, startTime: start + (parentSpanId ? 10 : 0), endTime: start + 500,
    status: failed ? 'error' : 'ok', statusMessage: failed ?? null, attributes: {},
  };
}

describe('the traces list and a call that failed', () => {
  it('counts one failed call as one error, though its execute_tool and sandbox steps both carry it; two calls, two', () => {
    const db = new BetterSqlite3(join(tempDir(), 'traces.db'));
    migrate(db);
    const store = new SpanStore(db);
    const notFound = 'TOOL_FAILED: There is no file or folder "sales.csv" in the workspace.';
    const readOnly = "TOOL_FAILED: mcp-memory.create_entities reported an error: EROFS: read-only file system, open '/x/memory.jsonl'";
    // As the runtime records them (a built-in read, a sandboxed MCP server's call): the same message at both levels.
    store.insert([span('one', 'turn', null, 'turn', 1000), span('one', 'tool', 'turn', 'tool', 1000, notFound), span('one', 'sandbox', 'tool', 'sandbox', 1000, notFound)]);
    store.insert([
      span('two', 'turn', null, 'turn', 2000),
      span('two', 'read', 'turn', 'tool', 2000, notFound),
      span('two', 'read-sandbox', 'read', 'sandbox', 2000, notFound),
      span('two', 'save', 'turn', 'tool', 2000, readOnly),
      span('two', 'save-sandbox', 'save', 'sandbox', 2000, readOnly),
    ]);
    // A step that failed in words of its own beside its failed child is a second error (a budget ran out as well).
    store.insert([span('own', 'turn', null, 'turn', 3000, 'BUDGET_EXCEEDED: the turn ran for its whole time budget'), span('own', 'tool', 'turn', 'tool', 3000, notFound)]);

    const counts = Object.fromEntries(store.listTraces().map((t) => [t.traceId, t.errorCount]));
    expect(counts).toEqual({ one: 1, two: 2, own: 2 });
    expect(store.listTraces({ errorsOnly: true }).map((t) => t.traceId).sort()).toEqual(['one', 'own', 'two']);
    db.close();
  });
});
