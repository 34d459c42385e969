/**
 * Router and orchestrator costs. Classifier: the intent router (TF-IDF + char n-grams + calibration + slots)
 * against plain keyword routing, the thing it replaces. Orchestrator: one full governed turn (SQLite records,
 * spans, policy, gateway, a tool call, a reply) with a zero-latency scripted model and an in-process no-op
 * tool, against the same model and tool called directly — the difference is the orchestrator's own overhead.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FixedApprovalGate } from '../src/core/approvals/approval-gate';
import { createAgentHarness } from '../src/core/eval/agent-harness';
import { ScriptedModel } from '../src/core/eval/scripted-model';
import { loadIntentCatalogue } from '../src/core/router/intent-catalogue';
import { IntentRouter } from '../src/core/router/intent-router';
import { defaultIntentCatalogueFile } from '../src/core/router/resource-paths';
import { InProcessToolRunner } from '../src/core/tools/in-process-tool-runner';
import { compare, report, type Comparison } from './harness';

const texts = ['list the files in my workspace', 'raed todo.txt', 'write hello.txt with hi', 'what is the capital of France', 'summarize https://example.com/a', 'thanks!'];

const keywords: [RegExp, string][] = [
  [/\b(list|ls|files)\b/, 'files.list'],
  [/\b(read|open|cat|show)\b/, 'files.read'],
  [/\b(write|create|save)\b/, 'files.write'],
  [/\b(delete|remove|rm)\b/, 'files.delete'],
  [/https?:\/\//, 'web.fetch'],
];
const keywordRoute = (text: string) => keywords.find(([pattern]) => pattern.test(text.toLowerCase()))?.[1] ?? 'out_of_scope';

async function main() {
  const catalogue = loadIntentCatalogue(defaultIntentCatalogueFile());
  const buildStart = performance.now();
  const router = new IntentRouter(catalogue);
  const buildMs = performance.now() - buildStart;
  let i = 0;
  const classifier = await compare('route one request (classify + slots)', () => router.route(texts[i++ % texts.length]!), () => keywordRoute(texts[i++ % texts.length]!), {
    iterations: 20_000,
    goal: 'p99 well under 1 ms',
  });

  // On the temp folder's disk (every acknowledged record is fsynced: synchronous=FULL) and, where there is one,
  // on tmpfs, which leaves the orchestrator's CPU cost alone.
  const disk = await measureTurn('one turn: model → tool → reply (disk)', tmpdir());
  const memory = existsSync('/dev/shm') ? await measureTurn('one turn: model → tool → reply (tmpfs)', '/dev/shm') : null;
  const overhead = (c: Comparison) => Number((c.project.p50 - c.baseline.p50).toFixed(1));
  report('Router and orchestrator', [classifier, disk, ...(memory ? [memory] : [])], {
    routerBuildMs: Number(buildMs.toFixed(1)),
    orchestratorOverheadP50UsDisk: overhead(disk),
    ...(memory ? { orchestratorOverheadP50UsTmpfs: overhead(memory) } : {}),
  });
}

async function measureTurn(name: string, parent: string): Promise<Comparison> {
  const dir = mkdtempSync(join(parent, 'portcullis-bench-'));
  const tool = { name: 'noop.read', description: 'no-op', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true }, sandboxed: false, describeCall: () => 'noop' };
  const handlers = { 'noop.read': async () => ({ ok: true }) };
  const runner = new InProcessToolRunner(handlers);
  const script = [{ call: { tool: 'noop.read', arguments: {} } }, { say: 'done' }];
  let model = new ScriptedModel(script);
  const harness = createAgentHarness({
    dataDir: dir, approvals: new FixedApprovalGate('none'), tools: [{ definition: tool, runner }],
    model: { id: 'scripted', description: 'scripted', stream: (request) => model.stream(request) },
  });
  const direct = async () => {
    const m = new ScriptedModel(script);
    for await (const chunk of m.stream({ messages: [{ role: 'user', content: 'go' }], tools: [] })) void chunk;
    await runner.run({ toolName: 'noop.read', arguments: {} }, {});
    for await (const chunk of m.stream({ messages: [{ role: 'user', content: 'go' }], tools: [] })) void chunk;
  };
  const turn = await compare(
    name,
    async () => {
      model = new ScriptedModel(script);
      const result = await harness.runTurn('go');
      if (result.error) throw new Error(result.error.message);
    },
    direct,
    { iterations: 300, goal: 'orchestrator overhead per turn (project − baseline)' },
  );
  harness.dispose();
  await new Promise((resolve) => setTimeout(resolve, 50));
  rmSync(dir, { recursive: true, force: true });
  return turn;

}

void main();
