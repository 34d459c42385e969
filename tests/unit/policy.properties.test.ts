import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArgMatcher, PolicyRule } from '../../src/shared/domain/policy';
import { RulesPolicyEngine } from '../../src/core/policy/policy-engine';
import { proposeRuleArgs } from '../../src/core/approvals/rule-proposal';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workspace = mkdtempSync(join(tmpdir(), 'portcullis-prop-'));
const context = { workspace, home: workspace, ignoreCase: false };
const toolNames = ['fs.read', 'fs.write', 'web.fetch', 'shell.run', 'mcp.x', 'a', 'srv.tool.deep'];

const annotations = fc.record(
  { readOnlyHint: fc.boolean(), destructiveHint: fc.boolean(), openWorldHint: fc.boolean(), idempotentHint: fc.boolean() },
  { requiredKeys: [] },
);
const argMatcher: fc.Arbitrary<ArgMatcher> = fc.oneof(
  fc.record({ within: fc.constantFrom<string[]>(['${workspace}'], ['${workspace}/notes'], ['/tmp']) }),
  fc.record({ outside: fc.constantFrom<string[]>(['${workspace}'], ['${workspace}/notes']) }),
  fc.record({ glob: fc.constantFrom<string[]>(['**/*.md'], ['.env', '**/.env'], ['notes/**']) }),
  fc.record({ domain: fc.constantFrom<string[]>(['example.com'], ['*.example.com', 'bücher.de']) }),
  fc.record({ notDomain: fc.constantFrom<string[]>(['example.com']) }),
  fc.record({ regex: fc.constantFrom('^rm', 'a+b', '.*') }),
  fc.record({ range: fc.record({ min: fc.integer(), max: fc.integer() }, { requiredKeys: [] }) }),
  fc.record({ enum: fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 3 }) }),
  fc.record({ present: fc.boolean() }),
);
const rule = (id: string, effect: PolicyRule['effect']): fc.Arbitrary<PolicyRule> =>
  fc.record({
    id: fc.constant(id),
    effect: fc.constant(effect),
    reason: fc.constant(`reason ${id}`),
    match: fc.record(
      {
        tool: fc.oneof(fc.constantFrom(...toolNames), fc.constantFrom('fs.*', '*', 'srv.**', '{fs,web}.*')),
        server: fc.constantFrom('builtin', 'github', '*'),
        class: fc.constantFrom('read-only', 'mutating', 'destructive', 'open-world'),
        args: fc.dictionary(fc.constantFrom('path', 'url', 'command', 'n'), argMatcher, { maxKeys: 2 }),
        intent: fc.constantFrom('code', 'email'),
        confidence: fc.record({ min: fc.double({ min: 0, max: 1, noNaN: true }) }),
        tainted: fc.boolean(),
        rate: fc.record({ max: fc.nat(5), windowSeconds: fc.constant(60) }),
      },
      { requiredKeys: [] },
    ),
  });
const rules = fc
  .tuple(fc.array(fc.constantFrom<PolicyRule['effect']>('allow', 'ask', 'deny'), { maxLength: 12 }))
  .chain(([effects]) => fc.tuple(...effects.map((effect, i) => rule(`r${i}`, effect))));
const anyValue = fc.oneof(
  fc.string(),
  fc.constantFrom('../../etc/passwd', 'notes/a.md', '.env', 'https://user@evil.com/', 'http://0x7f.1/', 'https://bücher.de', '\0', '/'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);
const input = fc.record({
  tool: fc.record({ name: fc.oneof(fc.constantFrom(...toolNames), fc.string()), annotations }),
  arguments: fc.dictionary(fc.oneof(fc.constantFrom('path', 'url', 'command', 'n', '__proto__', 'constructor'), fc.string()), anyValue, { maxKeys: 4 }),
  server: fc.constantFrom('builtin', 'github', 'other'),
  intent: fc.option(fc.constantFrom('code', 'email'), { nil: undefined }),
  confidence: fc.option(fc.oneof(fc.double(), fc.constant(Number.NaN)), { nil: undefined }),
  taint: fc.option(fc.array(fc.record({ description: fc.string() }), { maxLength: 2 }), { nil: undefined }),
  conversationAllowed: fc.option(fc.boolean(), { nil: undefined }),
  calls: fc.nat(10),
});

describe('policy engine properties', () => {
  it('no input crashes the engine, and every decision names a rule and a reason', () => {
    fc.assert(
      fc.property(rules, input, (ruleList, { calls, ...call }) => {
        const engine = new RulesPolicyEngine(ruleList, context);
        const decision = engine.evaluate({ ...call, recentCalls: () => calls });
        expect(['allow', 'ask', 'deny']).toContain(decision.effect);
        expect(decision.ruleId.length).toBeGreaterThan(0);
        expect(decision.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 1500 },
    );
  });

  it('no deny rule is ever bypassed: when a deny rule matches on its own, the policy denies', () => {
    fc.assert(
      fc.property(rules, input, (ruleList, { calls, ...call }) => {
        const engine = new RulesPolicyEngine(ruleList, context);
        const decision = engine.evaluate({ ...call, recentCalls: () => calls });
        for (const denyRule of ruleList.filter((r) => r.effect === 'deny')) {
          const alone = new RulesPolicyEngine([denyRule], context).evaluate({ ...call, recentCalls: () => calls });
          if (alone.effect === 'deny') expect(decision.effect).toBe('deny');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('garbage arguments never turn a deny into anything else', () => {
    const engine = new RulesPolicyEngine([{ id: 'deny.all-writes', effect: 'deny', reason: 'no', match: { tool: 'fs.write' } }], context);
    fc.assert(
      fc.property(input, ({ calls, ...call }) => {
        expect(engine.evaluate({ ...call, tool: { ...call.tool, name: 'fs.write' }, recentCalls: () => calls }).effect).toBe('deny');
      }),
    );
  });

  it('a tainted conversation never lets a mutating or open-world call through without asking', () => {
    fc.assert(
      fc.property(rules, input, (ruleList, { calls, ...call }) => {
        const engine = new RulesPolicyEngine(ruleList, context);
        const tainted = { ...call, taint: [{ description: 'web' }], recentCalls: () => calls };
        const decision = engine.evaluate(tainted);
        const ann = call.tool.annotations;
        if (ann.readOnlyHint !== true || ann.openWorldHint !== false) expect(decision.effect).not.toBe('allow');
      }),
      { numRuns: 1000 },
    );
  });

  it('the rule "Always allow…" proposes matches the approved call and no call to another path', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((p) => !p.includes('\0')), fc.string({ minLength: 1, maxLength: 30 }), (path, other) => {
        const args = { path, content: 'x' };
        const engine = new RulesPolicyEngine([{ id: 'user.x', effect: 'allow', reason: 'r', match: { tool: 'fs.write', args: proposeRuleArgs(args) } }], context);
        const tool = { name: 'fs.write', annotations: { readOnlyHint: false } };
        expect(engine.evaluate({ tool, arguments: args }).ruleId).toBe('user.x');
        const otherPath = `zz/${other}`;
        if (otherPath !== path.replace(/^\.\//, '')) expect(engine.evaluate({ tool, arguments: { path: otherPath, content: 'x' } }).ruleId).not.toBe('user.x');
      }),
      { numRuns: 500 },
    );
  });
});
