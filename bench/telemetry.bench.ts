/**
 * Telemetry, side by side in one run:
 *  1. a governed tool call (fs.list in a real worker process) with tracing on (API spans → batched redaction →
 *     batches stored by the span writer thread, as the runtime wires it) vs off (a no-op tracer); goal ≤ 5% added
 *     to p50;
 *  2. ingest at 10× the nominal span rate through the real pipeline (SQLite + OTLP/HTTP to a local collector):
 *     every span is stored, exported or counted as dropped (zero silent drops);
 *  3. the trace viewer in Chromium (Playwright, against the built renderer served by `portcullis serve`):
 *     1k-span vs 100k-span traces: time to render the waterfall after a scroll jump (goal ≤ 1.2×), and the full
 *     open time (fetch + tree + first paint), reported for honesty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FixedApprovalGate } from '../src/core/approvals/approval-gate';
import { systemClock } from '../src/core/clock';
import { DefaultPolicyEngine } from '../src/core/policy/policy-engine';
import { createForkLauncher } from '../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../src/core/sandbox/worker-tool-runner';
import { workspaceScope } from '../src/core/sandbox/workspace-scope';
import { openDatabase } from '../src/core/storage/database';
import { ApprovalStore } from '../src/core/storage/stores/approval-store';
import { ToolCallStore } from '../src/core/storage/stores/tool-call-store';
import { Tracer, type ActiveSpan } from '../src/core/telemetry/tracer';
import { ArgumentValidator } from '../src/core/tools/argument-validator';
import { builtinFsTools } from '../src/core/tools/builtin-fs-tools';
import { ToolGateway } from '../src/core/tools/tool-gateway';
import { ToolRegistry } from '../src/core/tools/tool-registry';
import { compare, report, type Comparison, type Stats } from './harness';
import { runtimeTelemetry } from './runtime-telemetry';
import { measureViewer } from './telemetry-viewer';

const root = resolve(__dirname, '..');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  dirs.push(dir);
  return dir;
};

/** Tracing off: the same call sites, no spans. */
const noSpan: ActiveSpan = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), setAttributes: () => {}, setError: () => {}, addEvent: () => {}, captureContent: () => {} };
const noopTracer = {
  withSpan: (_k: unknown, _n: unknown, _a: unknown, fn: (s: ActiveSpan) => Promise<unknown>) => fn(noSpan),
  withTrace: (_k: unknown, _n: unknown, _a: unknown, fn: (s: ActiveSpan) => Promise<unknown>) => fn(noSpan),
  withLeafSpan: (_k: unknown, _n: unknown, _a: unknown, fn: (s: ActiveSpan) => unknown) => fn(noSpan),
} as unknown as Tracer;

function pipeline(dataDir: string, otlpEndpoint: string | null) {
  const file = join(dataDir, 'portcullis.db');
  const db = openDatabase(file);
  const { spans, telemetry, close } = runtimeTelemetry({ db, file, dataDir, otlpEndpoint });
  return { db, spans, telemetry, close: async () => (await close(), db.close()) };
}

let sharedRunner: WorkerToolRunner | null = null;

/** Both arms share one worker process, so the only difference between them is the tracer. */
function gateway(dataDir: string, tracer: Tracer, db: ReturnType<typeof openDatabase>) {
  sharedRunner ??= new WorkerToolRunner(createForkLauncher(join(root, 'out', 'main', 'tool-worker.js')), workspaceScope(join(dataDir, 'workspace')));
  const runner = sharedRunner;
  const registry = new ToolRegistry();
  for (const tool of builtinFsTools) registry.register(tool, runner);
  const gw = new ToolGateway({
    registry, validator: new ArgumentValidator(), policy: new DefaultPolicyEngine(), approvals: new FixedApprovalGate('none'),
    toolCalls: new ToolCallStore(db), approvalStore: new ApprovalStore(db), tracer, clock: systemClock, approvalTimeoutMs: 1_000,
  });
  return { gw, runner };
}

async function toolCallOnVsOff(): Promise<Comparison[]> {
  const dataDir = tempDir();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dataDir, 'workspace'), { recursive: true });
  const p = pipeline(dataDir, null);
  const on = gateway(dataDir, p.telemetry.tracer, p.db);
  const off = gateway(dataDir, noopTracer, p.db);
  const call = (gw: ToolGateway) => async () => {
    const record = await gw.call({ conversationId: 'c', turnId: 't', modelCallId: 'x', toolName: 'fs.list', arguments: { path: '.' } });
    if (record.status !== 'succeeded') throw new Error(`fs.list ${record.status}: ${record.error?.message}`);
  };
  // Tool-call rows need a conversation (foreign key).
  p.db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c', 'bench', 0, 0)").run();
  // Where the cost is: the same tracer with a sink that stores nothing (recording, capture and redaction only).
  const bare = gateway(dataDir, new Tracer({ export: () => {} }), p.db);
  const tracerOnly = await compare('tool call: tracer without the store vs off', call(bare.gw), call(off.gw), { iterations: 4_000, interleave: 'call' });
  const result = await compare('tool call (fs.list, worker) tracing on vs off', call(on.gw), call(off.gw), { iterations: 4_000, interleave: 'call', goal: '≤ 1.05× p50' });
  await on.runner.dispose();
  await p.close();
  return [result, tracerOnly];
}

/** A busy turn: ~7 spans per tool call, a tool call every ~7 ms → ~1,000 spans/s is the nominal rate we size for. */
const NOMINAL_SPANS_PER_S = 1_000;

async function ingestAt10x() {
  const received = { requests: 0, spans: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.requests++;
      received.spans += (JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans[0]!.scopeSpans[0]!.spans.length;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const p = pipeline(tempDir(), endpoint);
  const tracer = p.telemetry.tracer;
  const rate = NOMINAL_SPANS_PER_S * 10;
  const seconds = 5;
  const perTick = rate / 100; // 10 ms ticks
  let produced = 0;
  const start = performance.now();
  for (let tick = 0; tick < seconds * 100; tick++) {
    const due = start + tick * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await tracer.withTrace('turn', 'invoke_agent bench', { 'gen_ai.operation.name': 'invoke_agent' }, async () => {
      for (let i = 0; i < perTick - 1; i++) {
        await tracer.withSpan('tool', 'execute_tool fs.list', { 'gen_ai.tool.name': 'fs.list', 'gen_ai.tool.call.id': `c${i}` }, async (s) => {
          s.captureContent('gen_ai.tool.call.arguments', { path: '.' });
        });
      }
    });
    produced += perTick;
  }
  const elapsed = (performance.now() - start) / 1000;
  await p.telemetry.flush();
  const status = p.telemetry.status();
  const stored = p.spans.count();
  await p.close();
  await new Promise<void>((r) => server.close(() => r()));
  const accounted = { store: stored + status.droppedSpans.store === produced, otlp: received.spans + status.droppedSpans.otlp === produced };
  return {
    nominalSpansPerSecond: NOMINAL_SPANS_PER_S,
    targetSpansPerSecond: rate,
    achievedSpansPerSecond: Math.round(produced / elapsed),
    produced,
    stored,
    droppedStore: status.droppedSpans.store,
    exportedOtlp: received.spans,
    droppedOtlp: status.droppedSpans.otlp,
    silentDrops: (produced - stored - status.droppedSpans.store) + (produced - received.spans - status.droppedSpans.otlp),
    everySpanAccountedFor: accounted.store && accounted.otlp,
  };
}

async function main() {
  // PORTCULLIS_BENCH_ONLY=toolcall|ingest|viewer runs one part (for iterating); `npm run bench` runs all three.
  const only = process.env.PORTCULLIS_BENCH_ONLY;
  const comparisons: Comparison[] = !only || only === 'toolcall' ? await toolCallOnVsOff() : [];
  const ingest = !only || only === 'ingest' ? await ingestAt10x() : null;
  if (only && only !== 'viewer') {
    report('Telemetry', comparisons, { ingest });
    return;
  }
  const viewer = await measureViewer(tempDir);
  const asStats = (name: string, samplesMs: number[]): Stats => {
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 1_000;
    return { name, iterations: sorted.length, p50: pick(0.5), p99: pick(0.99), mean: (sorted.reduce((a, b) => a + b, 0) / sorted.length) * 1_000 };
  };
  for (const [name, key, goal] of [
    ['viewer: waterfall render after a scroll jump, 100k vs 1k spans (Chromium)', 'scroll', '≤ 1.2× p50'],
    ['viewer: open a trace (fetch + tree + first paint), 100k vs 1k spans (Chromium)', 'open', 'reported'],
  ] as const) {
    const project = asStats(name, viewer.large[key]);
    const baseline = asStats(`${name} (baseline)`, viewer.small[key]);
    comparisons.push({ name, project, baseline, ratioP50: project.p50 / baseline.p50, ratioP99: project.p99 / baseline.p99, goal });
  }
  report('Telemetry', comparisons, { ingest, viewerMethod: viewer.method });
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
