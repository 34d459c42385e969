import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import { Redactor } from '../../src/core/redaction/redactor';
import { activeContext } from '../../src/core/telemetry/active-context';
import { Tracer } from '../../src/core/telemetry/tracer';

const CANARY = 'canary-7f3a9c21e8';

function recordingTracer(options: { maxBatch?: number } = {}) {
  const batches: SpanRecord[][] = [];
  const redactor = new Redactor();
  redactor.register(CANARY);
  const tracer = new Tracer({ export: (spans) => void batches.push([...spans]) }, { redactor, batch: { maxBatch: options.maxBatch ?? 256, delayMs: 60_000 } });
  return { tracer, batches, all: () => batches.flat() };
}

describe('the tracer', () => {
  it('records nested steps as one tree, in the OpenTelemetry API context', async () => {
    const { tracer, all } = recordingTracer();
    const seen = await tracer.withTrace('turn', 'invoke_agent', {}, (root) =>
      tracer.withSpan('tool', 'execute_tool fs.read', { 'gen_ai.tool.name': 'fs.read' }, async (child) => {
        const fromApi = trace.getSpan(activeContext())!;
        return { root, child, apiContext: fromApi.spanContext(), recording: fromApi.isRecording() };
      }),
    );
    expect(seen.apiContext).toMatchObject({ traceId: seen.root.traceId, spanId: seen.child.spanId, traceFlags: 1 });
    expect(seen.recording).toBe(true);
    tracer.flush();
    const spans = all();
    expect(spans.map((s) => s.name)).toEqual(['execute_tool fs.read', 'invoke_agent']);
    expect(spans[0]).toMatchObject({ traceId: seen.root.traceId, parentSpanId: seen.root.spanId, kind: 'tool', attributes: { 'gen_ai.tool.name': 'fs.read' } });
    expect(spans[1]).toMatchObject({ parentSpanId: null, kind: 'turn', status: 'ok' });
    expect(spans[0]!.endTime).toBeGreaterThanOrEqual(spans[0]!.startTime);
  });

  it('gives each new trace a W3C trace id that leads with its start time, so later traces sort after earlier ones', async () => {
    const { tracer } = recordingTracer();
    const ids: string[] = [];
    const before = Date.now();
    for (let i = 0; i < 3; i++) {
      ids.push(await tracer.withTrace('turn', 'turn', {}, async (root) => root.traceId));
      ids.push(await tracer.withSpan('tool', 'no parent', {}, async (span) => span.traceId));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(parseInt(id.slice(0, 12), 16)).toBeGreaterThanOrEqual(before);
      expect(parseInt(id.slice(0, 12), 16)).toBeLessThanOrEqual(Date.now());
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Two per millisecond step at most share a prefix; across the pauses the order is the order of creation.
    expect(ids.filter((_, i) => i % 2 === 0)).toEqual(ids.filter((_, i) => i % 2 === 0).toSorted());
  });

  it('hands spans on in batches: nothing before a batch fills or a flush, a full batch on the next turn of the event loop', async () => {
    const { tracer, batches } = recordingTracer({ maxBatch: 3 });
    for (let i = 0; i < 2; i++) await tracer.withTrace('turn', `t${i}`, {}, async () => undefined);
    expect(batches).toHaveLength(0);
    expect(tracer.queued).toBe(2);
    await tracer.withTrace('turn', 't2', {}, async () => undefined);
    // Not inside the step that filled it...
    expect(batches).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    // ...but as soon as the step yields.
    expect(batches.map((b) => b.length)).toEqual([3]);
    await tracer.withTrace('turn', 't3', {}, async () => undefined);
    tracer.flush();
    expect(batches.map((b) => b.length)).toEqual([3, 1]);
    expect(tracer.queued).toBe(0);
  });

  it('a step that never yields still hands spans on once the queue is four batches long (bounded memory)', () => {
    const { tracer, batches } = recordingTracer({ maxBatch: 3 });
    for (let i = 0; i < 12; i++) tracer.withLeafSpan('policy', `p${i}`, {}, () => undefined);
    expect(batches.map((b) => b.length)).toEqual([12]);
    expect(tracer.queued).toBe(0);
  });

  it('redacts every string of a span before the sink sees it', async () => {
    const { tracer, all } = recordingTracer();
    await tracer
      .withTrace('tool', `read ${CANARY}`, { note: `key ${CANARY}` }, async (span) => {
        span.addEvent('retry', { why: CANARY });
        span.captureContent('gen_ai.tool.call.arguments', { [CANARY]: 1 });
        throw new Error(`failed with ${CANARY}`);
      })
      .catch(() => undefined);
    tracer.flush();
    const json = JSON.stringify(all());
    expect(json).not.toContain(CANARY);
    const [span] = all();
    expect(span).toMatchObject({ status: 'error', statusMessage: 'failed with [REDACTED:secret]', name: 'read [REDACTED:secret]' });
    expect(span!.events!.map((e) => e.name)).toEqual(['retry', 'exception']);
  });

  it("copies the caller's attributes before changing them, and ignores changes after the span ended", async () => {
    const { tracer, all } = recordingTracer();
    const shared = { 'gen_ai.operation.name': 'execute_tool' };
    let kept: { setAttributes(a: Record<string, string>): void } | undefined;
    await tracer.withTrace('tool', 'a', shared, async (span) => {
      span.setAttributes({ extra: 'yes' });
      kept = span;
    });
    kept!.setAttributes({ late: 'no' });
    tracer.flush();
    expect(shared).toEqual({ 'gen_ai.operation.name': 'execute_tool' });
    expect(all()[0]!.attributes).toEqual({ 'gen_ai.operation.name': 'execute_tool', extra: 'yes' });
  });
});
