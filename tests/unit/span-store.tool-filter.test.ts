import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import type { SpanStore } from '../../src/core/storage/stores/span-store';
import { traceStore } from '../helpers/trace-store';

/** A turn that called one tool. */
function turn(traceId: string, tool: string, start: number): SpanRecord[] {
  const base = { traceId, startTime: start, endTime: start + 10, status: 'ok' as const, statusMessage: null };
  return [
    { ...base, spanId: `${traceId}-turn`, parentSpanId: null, kind: 'turn', name: 'invoke_agent portcullis', attributes: {} },
    { ...base, spanId: `${traceId}-tool`, parentSpanId: `${traceId}-turn`, kind: 'tool', name: `execute_tool ${tool}`, attributes: { 'gen_ai.tool.name': tool } },
  ];
}

describe("the traces list's tool filter", () => {
  const store = () => {
    const spans = traceStore().store;
    spans.insert([...turn('w', 'fs.write', 1000), ...turn('r', 'fs.read', 2000), ...turn('m', 'mcp-memory.create_entities', 3000), ...turn('g', 'github.get_issue', 4000)]);
    return spans;
  };
  const found = (spans: SpanStore, toolName: string) => spans.listTraces({ toolName }).map((t) => t.traceId).sort();

  it('takes a part of the name, in any case, as before', () => {
    const spans = store();
    expect(found(spans, 'write')).toEqual(['w']);
    expect(found(spans, 'FS.')).toEqual(['r', 'w']);
    expect(found(spans, 'memory')).toEqual(['m']);
  });

  it('takes a glob over the whole name, as policy rules and --approve do: "fs.*" found nothing before', () => {
    const spans = store();
    expect(found(spans, 'fs.*')).toEqual(['r', 'w']);
    expect(found(spans, 'github.get_*')).toEqual(['g']);
    expect(found(spans, '*.create_*')).toEqual(['m']);
    expect(found(spans, 'fs.rea?')).toEqual(['r']);
    // Over the whole name: "read*" is not "fs.read".
    expect(found(spans, 'read*')).toEqual([]);
  });
});
