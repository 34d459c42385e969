import { describe, expect, it } from 'vitest';
import { spanAt, traceStore } from '../helpers/trace-store';

describe('the traces list and a call that failed', () => {
  it('counts one failed call as one error, though its execute_tool and sandbox steps both carry it; two calls, two', () => {
    const { db, store } = traceStore();
    const notFound = 'TOOL_FAILED: There is no file or folder "sales.csv" in the workspace.';
    const readOnly = "TOOL_FAILED: mcp-memory.create_entities reported an error: EROFS: read-only file system, open '/x/memory.jsonl'";
    // As the runtime records them (a built-in read, a sandboxed MCP server's call): the same message at both levels.
    store.insert([spanAt('one', 'turn', null, 'turn', 1000), spanAt('one', 'tool', 'turn', 'tool', 1000, notFound), spanAt('one', 'sandbox', 'tool', 'sandbox', 1000, notFound)]);
    store.insert([
      spanAt('two', 'turn', null, 'turn', 2000),
      spanAt('two', 'read', 'turn', 'tool', 2000, notFound),
      spanAt('two', 'read-sandbox', 'read', 'sandbox', 2000, notFound),
      spanAt('two', 'save', 'turn', 'tool', 2000, readOnly),
      spanAt('two', 'save-sandbox', 'save', 'sandbox', 2000, readOnly),
    ]);
    // A step that failed in words of its own beside its failed child is a second error (a budget ran out as well).
    store.insert([spanAt('own', 'turn', null, 'turn', 3000, 'BUDGET_EXCEEDED: the turn ran for its whole time budget'), spanAt('own', 'tool', 'turn', 'tool', 3000, notFound)]);

    const counts = Object.fromEntries(store.listTraces().map((t) => [t.traceId, t.errorCount]));
    expect(counts).toEqual({ one: 1, two: 2, own: 2 });
    expect(store.listTraces({ errorsOnly: true }).map((t) => t.traceId).sort()).toEqual(['one', 'own', 'two']);
    db.close();
  });
});
