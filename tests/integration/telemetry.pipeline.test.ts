import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createFileLogger } from '../../src/core/logging/logger';
import { Redactor } from '../../src/core/redaction/redactor';
import { OtlpHttpExporter } from '../../src/core/telemetry/otlp-http-exporter';
import type { OtlpTraceRequest } from '../../src/core/telemetry/otlp-json';
import type { SpanRecord } from '../../src/shared/domain/span';
import { startRecordingCollector } from '../helpers/recording-collector';
import { StepScriptedModel as ScriptedModel } from '../helpers/step-scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const span = (i: number): SpanRecord => ({
  traceId: 'a'.repeat(32), spanId: i.toString(16).padStart(16, '0'), parentSpanId: null, name: `s${i}`, kind: 'tool',
  startTime: 1_700_000_000_000.25 + i, endTime: 1_700_000_000_001.5 + i, status: i % 2 ? 'error' : 'ok', statusMessage: i % 2 ? 'bad' : null,
  attributes: { 'gen_ai.tool.name': 'fs.read', n: i, ok: true, ratio: 0.5 }, events: [{ name: 'retry', time: 1_700_000_000_000.5, attributes: {} }],
});

describe('the telemetry pipeline', () => {
  it('sends OTLP/JSON a collector accepts: hex ids, exact nanosecond times, typed attributes, status, events', async () => {
    const collector = await startRecordingCollector();
    onTestFinished(collector.close);
    const dropped: number[] = [];
    const exporter = new OtlpHttpExporter({ endpoint: collector.endpoint, service: { name: 'portcullis', version: '1' }, onDropped: (n) => dropped.push(n), maxBatch: 2 });
    exporter.export([span(0), span(1), span(2)]);
    await exporter.flush();
    expect(dropped).toEqual([]);
    expect(exporter.exported).toBe(3);
    expect(collector.requests).toHaveLength(2);
    const body = JSON.parse(collector.requests[0]!.body.toString()) as OtlpTraceRequest;
    expect(body.resourceSpans[0]!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'portcullis' } });
    const [first, second] = body.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(first).toMatchObject({
      traceId: 'a'.repeat(32), spanId: '0000000000000000', name: 's0', kind: 1,
      startTimeUnixNano: '1700000000000250000', endTimeUnixNano: '1700000000001500000', status: { code: 1 },
      events: [{ name: 'retry', timeUnixNano: '1700000000000500000', attributes: [] }],
    });
    expect(first!.attributes).toEqual(expect.arrayContaining([
      { key: 'gen_ai.tool.name', value: { stringValue: 'fs.read' } }, { key: 'n', value: { intValue: '0' } },
      { key: 'ok', value: { boolValue: true } }, { key: 'ratio', value: { doubleValue: 0.5 } }, { key: 'portcullis.span.kind', value: { stringValue: 'tool' } },
    ]));
    expect(second!.status).toEqual({ code: 2, message: 'bad' });
  });

  it("sends to the collector's path with /v1/traces added, keeping its query (a token) after it", async () => {
    const collector = await startRecordingCollector();
    onTestFinished(collector.close);
    const exporter = new OtlpHttpExporter({ endpoint: `${collector.endpoint}/otlp/?token=a/b`, service: { name: 'portcullis' }, onDropped: () => undefined });
    expect(exporter.url).toBe(`${collector.endpoint}/otlp/v1/traces?token=a/b`);
    exporter.export([span(0)]);
    await exporter.flush();
    expect(collector.requests.map((request) => request.path)).toEqual(['/otlp/v1/traces?token=a/b']);
  });

  it('a collector that fails counts its spans as dropped, visible in telemetry.status; the local store keeps them', async () => {
    const collector = await startRecordingCollector({ status: 503 });
    onTestFinished(collector.close);
    const model = new ScriptedModel([{ text: 'hi' }]);
    const t = startTestRuntime({ model });
    await t.runtime.handlers['telemetry.configure']({ otlpEndpoint: collector.endpoint });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'hello').done;
    await t.runtime.telemetry.flush();
    expect(collector.requests.length).toBeGreaterThan(0);
    const status = await t.runtime.handlers['telemetry.status']({});
    // The turn's three spans: invoke_agent, route and chat.
    expect(status.droppedSpans).toEqual({ store: 0, otlp: 3 });
    expect(status.otlp).toMatchObject({ endpoint: collector.endpoint, tracesUrl: `${collector.endpoint}/v1/traces`, exportedSpans: 0 });
    expect(status.otlp.lastError).toContain('503');
    expect(await t.runtime.handlers['traces.spans']({ traceId: result.traceId })).toHaveLength(3);
    const log = readFileSync(join(t.dataDir, 'logs', 'portcullis.log'), 'utf8');
    expect(log).toContain('spans not delivered to the collector');
  });

  it('a store that cannot write counts the lost spans as dropped and the count survives a restart', async () => {
    const t = startTestRuntime({ model: new ScriptedModel([{ text: 'hi' }]) });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const tracer = t.runtime.telemetry.tracer;
    // The span table refuses writes (as a full or failing disk would) while one turn's two spans are stored.
    const db = new Database(join(t.dataDir, 'traces.db'));
    db.exec("CREATE TRIGGER refuse_spans BEFORE INSERT ON spans BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    await tracer.withTrace('turn', 'lost', {}, () => tracer.withSpan('tool', 'lost child', {}, async () => undefined));
    await t.runtime.telemetry.flush();
    db.exec('DROP TRIGGER refuse_spans');
    db.close();
    expect((await t.runtime.handlers['telemetry.status']({})).droppedSpans.store).toBe(2);
    expect(readFileSync(join(t.dataDir, 'logs', 'portcullis.log'), 'utf8')).toContain('could not store spans');
    await t.runtime.dispose();
    const again = startTestRuntime({ dataDir: t.dataDir });
    expect((await again.runtime.handlers['telemetry.status']({})).droppedSpans.store).toBe(2);
    expect(conversation.id).toBeTruthy();
  });

  it('deleting everything also removes the spans still on their way to the file', async () => {
    const t = startTestRuntime({ model: new ScriptedModel([{ text: 'hi' }]) });
    const conversation = await t.runtime.handlers['conversations.create']({});
    await t.runtime.startTurn(conversation.id, 'hello').done;
    // The turn's spans wait in the batch (and then on the span writer thread) when the deletion starts.
    await t.runtime.handlers['data.deleteAll']({ confirm: 'delete everything' });
    await t.runtime.telemetry.flush();
    expect(await t.runtime.handlers['traces.list']({})).toEqual([]);
  });

  it('content is returned only when asked for, and the capture mode is a stored setting', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'fs.list', arguments: { path: '.' } }] }, { text: 'done' }]);
    const t = startTestRuntime({ model });
    expect((await t.runtime.handlers['telemetry.status']({})).captureMode).toBe('metadata');
    await t.runtime.handlers['telemetry.configure']({ captureMode: 'full' });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'list').done;
    const plain = await t.runtime.handlers['traces.spans']({ traceId: result.traceId });
    const full = await t.runtime.handlers['traces.spans']({ traceId: result.traceId, includeContent: true });
    const tool = (spans: SpanRecord[]) => spans.find((s) => s.kind === 'tool')!.attributes;
    expect(tool(plain)['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(tool(plain)['gen_ai.tool.call.arguments.names']).toBe('path');
    expect(tool(full)['gen_ai.tool.call.arguments']).toBe('{"path":"."}');
    await t.runtime.dispose();
    const again = startTestRuntime({ dataDir: t.dataDir });
    expect((await again.runtime.handlers['telemetry.status']({})).captureMode).toBe('full');
  });

  it('JSON logs rotate by size and keep a bounded number of files, each line redacted', () => {
    const dir = tempDir();
    const redactor = new Redactor();
    redactor.register('rotating-secret-123');
    const log = createFileLogger({ dataDir: dir, redactor, maxBytes: 2_000, maxFiles: 2 });
    for (let i = 0; i < 100; i++) log.logger.info({ i, note: 'rotating-secret-123' }, 'line');
    log.close();
    const files = readdirSync(join(dir, 'logs')).sort();
    expect(files).toEqual(['portcullis.log', 'portcullis.log.1', 'portcullis.log.2']);
    const lines = files.flatMap((f) => readFileSync(join(dir, 'logs', f), 'utf8').trim().split('\n'));
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ msg: 'line', note: '[REDACTED:secret]', app: 'portcullis' });
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toContain(99);
  });
});
