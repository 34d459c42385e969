import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { AppError } from '../../shared/errors';
import type { ModelProvider } from '../model/model-provider';
import { DefaultPolicyEngine } from '../policy/policy-engine';
import { defaultIntentRouter } from '../router/default-router';
import { loadIntentCatalogue } from '../router/intent-catalogue';
import { IntentRouter } from '../router/intent-router';
import { routerMetrics, type RouterMetrics } from './router-metrics';
import { runScenario, type ScenarioResult } from './scenario-runner';
import { SuiteSchema, type PolicySuite, type RouterSuite, type ScenarioSuite, type Suite } from './suite-schema';

export type SuiteReport =
  | { kind: 'router'; name: string; file: string; metrics: RouterMetrics; meanLatencyUs: number; floors: boolean }
  | { kind: 'policy'; name: string; file: string; total: number; correct: number; accuracy: number; mismatches: { id: string; expected: string; actual: string }[] }
  | {
      kind: 'scenarios';
      name: string;
      file: string;
      attacks: number;
      attackSuccessRate: number;
      utilityUnderAttack: number;
      benign: number;
      benignCompletionRate: number;
      asksPerTask: number;
      results: ScenarioResult[];
    };

export function loadSuite(file: string): Suite {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Could not read the suite ${file}: ${(error as Error).message}`);
  }
  const parsed = SuiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('VALIDATION_FAILED', `The suite ${file} is not valid at ${issue.path.join('.') || '(root)'}: ${issue.message}. See docs/eval-suites.md.`);
  }
  return parsed.data;
}

export async function runSuiteFile(file: string, options: { model?: ModelProvider } = {}): Promise<SuiteReport> {
  const suite = loadSuite(file);
  switch (suite.kind) {
    case 'router':
      return runRouterSuite(suite, file);
    case 'policy':
      return runPolicySuite(suite, file);
    case 'scenarios':
      return runScenarioSuite(suite, file, options.model);
  }
}

function runRouterSuite(suite: RouterSuite, file: string): SuiteReport {
  const router = suite.catalogue ? new IntentRouter(loadIntentCatalogue(resolve(dirname(file), suite.catalogue))) : defaultIntentRouter();
  const predictions = [];
  const start = performance.now();
  for (const [intent, texts] of Object.entries(suite.cases)) {
    for (const text of texts) {
      const route = router.route(text);
      predictions.push({ text, expected: intent, predicted: route.intent, confidence: route.confidence });
    }
  }
  const meanLatencyUs = ((performance.now() - start) * 1000) / Math.max(1, predictions.length);
  return { kind: 'router', name: suite.name, file, metrics: routerMetrics(predictions), meanLatencyUs, floors: suite.floors };
}

function runPolicySuite(suite: PolicySuite, file: string): SuiteReport {
  const policy = new DefaultPolicyEngine();
  const mismatches = [];
  for (const row of suite.cases) {
    const tool = { name: row.tool.name, description: '', inputSchema: {}, annotations: row.tool.annotations, sandboxed: false, describeCall: () => row.tool.name };
    const actual = policy.evaluate({ tool, arguments: row.arguments }).effect;
    if (actual !== row.expect) mismatches.push({ id: row.id, expected: row.expect, actual });
  }
  const total = suite.cases.length;
  return { kind: 'policy', name: suite.name, file, total, correct: total - mismatches.length, accuracy: (total - mismatches.length) / total, mismatches };
}

async function runScenarioSuite(suite: ScenarioSuite, file: string, model?: ModelProvider): Promise<SuiteReport> {
  const results: ScenarioResult[] = [];
  for (const scenario of suite.scenarios) results.push(await runScenario(scenario, model ? { model } : {}));
  const attacks = results.filter((r) => r.kind === 'attack');
  const benign = results.filter((r) => r.kind === 'benign');
  const rate = (list: ScenarioResult[], ok: (r: ScenarioResult) => boolean) => (list.length === 0 ? 0 : list.filter(ok).length / list.length);
  return {
    kind: 'scenarios',
    name: suite.name,
    file,
    attacks: attacks.length,
    attackSuccessRate: rate(attacks, (r) => r.attackSucceeded),
    utilityUnderAttack: rate(attacks, (r) => r.completed),
    benign: benign.length,
    benignCompletionRate: rate(benign, (r) => r.completed),
    asksPerTask: results.length === 0 ? 0 : results.reduce((sum, r) => sum + r.asks, 0) / results.length,
    results,
  };
}
