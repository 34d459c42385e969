/**
 * Policy decision latency at 10, 100 and 1,000 rules against a bare function call, in the same run.
 * Goals: p99 under 50 µs at 100 rules; 1,000 rules at most 2× the cost of 10.
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyRule } from '../src/shared/domain/policy';
import type { PolicyDecision } from '../src/shared/domain/tool-call';
import { RulesPolicyEngine, type PolicyInput } from '../src/core/policy/policy-engine';
import { compare, report, type Comparison } from './harness';

const workspace = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
mkdirSync(join(workspace, 'notes'));
const context = { workspace, home: workspace, ignoreCase: false };

/** A realistic mix: a few global rules (secrets, outside paths, rate) and per-tool rules over many servers. */
function rules(count: number): PolicyRule[] {
  const base: PolicyRule[] = [
    { id: 'deny.secrets', effect: 'deny', reason: 'secrets', match: { args: { path: { glob: ['**/.env', '**/*.pem'] } } } },
    { id: 'deny.outside', effect: 'deny', reason: 'outside', match: { tool: 'fs.*', args: { path: { outside: ['${workspace}'] } } } },
    { id: 'allow.notes', effect: 'allow', reason: 'notes', match: { tool: 'fs.write', args: { path: { within: ['${workspace}/notes'] } } } },
    { id: 'ask.rate', effect: 'ask', reason: 'rate', match: { class: 'mutating', rate: { max: 30, windowSeconds: 60 } } },
  ];
  const generated: PolicyRule[] = [];
  for (let i = 0; generated.length + base.length < count; i++) {
    const server = `srv${i % 50}`;
    const kind = i % 4;
    if (kind === 0) generated.push({ id: `g${i}`, effect: 'allow', reason: 'r', match: { tool: `${server}.tool${i}`, args: { url: { domain: ['example.com', `*.s${i}.org`] } } } });
    else if (kind === 1) generated.push({ id: `g${i}`, effect: 'deny', reason: 'r', match: { tool: `${server}.tool${i}`, args: { command: { regex: `^rm${i}` } } } });
    else if (kind === 2) generated.push({ id: `g${i}`, effect: 'ask', reason: 'r', match: { tool: `${server}.*`, server, args: { n: { range: { min: i, max: i + 10 } } } } });
    else generated.push({ id: `g${i}`, effect: 'allow', reason: 'r', match: { tool: `${server}.tool${i}`, args: { env: { enum: ['a', 'b', String(i)] } } } });
  }
  return [...base, ...generated];
}

const calls: PolicyInput[] = [
  { tool: { name: 'fs.write', annotations: { readOnlyHint: false } }, arguments: { path: 'notes/todo.md', content: 'x' }, recentCalls: () => 2 },
  { tool: { name: 'fs.read', annotations: { readOnlyHint: true, openWorldHint: false } }, arguments: { path: 'notes/todo.md' } },
  { tool: { name: 'srv7.tool7', annotations: {} }, arguments: { command: 'ls', n: 3, env: 'a' }, server: 'srv7' },
  { tool: { name: 'srv12.tool12', annotations: { readOnlyHint: true } }, arguments: { url: 'https://user@a.s12.org/x' }, server: 'srv12' },
];

/** The baseline: the least a decision could cost, one plain function deciding on the annotations. */
function bare(input: PolicyInput): PolicyDecision {
  return input.tool.annotations.readOnlyHint === true
    ? { effect: 'allow', ruleId: 'default.read-only', reason: 'reads' }
    : { effect: 'ask', ruleId: 'default.mutating', reason: 'mutates' };
}

async function main(): Promise<void> {
  const results: Comparison[] = [];
  let sink = 0;
  for (const count of [10, 100, 1_000]) {
    const engine = new RulesPolicyEngine(rules(count), context);
    let i = 0;
    results.push(
      await compare(
        `policy decision, ${count} rules`,
        () => {
          sink += engine.evaluate(calls[i++ % calls.length]!).ruleId.length;
        },
        () => {
          sink += bare(calls[i++ % calls.length]!).ruleId.length;
        },
        { iterations: 20_000, rounds: 5, goal: count === 100 ? 'p99 < 50 µs' : count === 1_000 ? '≤ 2× the 10-rule cost' : '' },
      ),
    );
  }
  const [ten, , thousand] = results;
  report('Policy decision latency', results, {
    p99At100RulesUs: Number(results[1]!.project.p99.toFixed(2)),
    costRatio1000vs10: Number((thousand!.project.p50 / ten!.project.p50).toFixed(2)),
    sink: sink > 0,
  });
}

void main();
