import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/core/policy/policy-parser';
import { findDefaultPolicyFile } from '../../src/core/policy/policy-source';
import { ArgMatcherSchema, RuleMatchSchema, type RuleMatch } from '../../src/shared/domain/policy';
import { describeArgs, describeRuleMatch } from '../../src/shared/domain/policy-words';

describe('policy rules in plain words', () => {
  it("the shipped policy's rules read as conditions, with every pattern and number the file holds", () => {
    const parsed = parsePolicy(readFileSync(findDefaultPolicyFile()!, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const words = Object.fromEntries(parsed.policy.rules.map((rule) => [rule.id, describeRuleMatch(rule.match)]));
    expect(words['deny.outside-workspace']).toEqual(['the tool is "fs.*"', 'path is outside "${workspace}"']);
    expect(words['ask.fetch-url']).toEqual(['the tool reaches outside your computer', 'url is given']);
    expect(words['ask.rate.writes']).toEqual(['the tool changes things', 'the tool already ran 30 times in the last 60 s']);
    const secrets = words['deny.secrets']!.join(' ');
    for (const glob of ['**/.env', '**/.ssh/**', '**/credentials*']) expect(secrets).toContain(`"${glob}"`);
  });

  it("a rule's !glob reads as the tools it takes out", () => {
    expect(describeRuleMatch({ tool: ['memory.*', '!memory.delete_entities'] })).toEqual(['the tool is "memory.*", but not "memory.delete_entities"']);
    expect(describeRuleMatch({ server: ['*', '!untrusted'] })).toEqual(['the server is "*", but not "untrusted"']);
  });

  it('every field a rule can match on has its own words, so no condition is shown as raw keys', () => {
    const examples: Required<RuleMatch> = {
      tool: ['fs.read', 'fs.list'],
      server: 'files',
      class: ['destructive', 'open-world'],
      args: { n: { range: { min: 1 } } },
      intent: 'file.write',
      confidence: { max: 0.5 },
      tainted: true,
      rate: { max: 3, windowSeconds: 10 },
    };
    expect(Object.keys(examples).sort()).toEqual(Object.keys(RuleMatchSchema.shape).sort());
    expect(describeRuleMatch(examples)).toEqual([
      'the tool is "fs.read" or "fs.list"',
      'the server is "files"',
      'the tool may delete or overwrite data or reaches outside your computer',
      'n is at least 1',
      'the request\'s intent is "file.write"',
      "the router's confidence is at most 0.5",
      'the conversation is tainted (it holds untrusted content)',
      'the tool already ran 3 times in the last 10 s',
    ]);
    expect(describeRuleMatch({})).toEqual(['every call']);
    expect(describeRuleMatch({ tainted: false })).toEqual(['the conversation is not tainted']);
  });

  it('every argument matcher has its own words', () => {
    const matchers = {
      within: ['docs'],
      outside: ['/tmp'],
      glob: ['*.md'],
      domain: ['example.com'],
      notDomain: ['evil.test'],
      regex: '^a+$',
      range: { min: 1, max: 9 },
      enum: ['a', 2],
      present: false,
    };
    expect(Object.keys(matchers).sort()).toEqual(Object.keys(ArgMatcherSchema.shape).sort());
    const words = describeArgs({ x: matchers }).split(', ');
    expect(words).toEqual([
      'x is inside "docs"',
      'x is outside "/tmp"',
      'x matches "*.md"',
      'x is on "example.com"',
      'x is not on "evil.test"',
      'x matches the pattern /^a+$/',
      'x is between 1 and 9',
      'x is "a" or 2',
      'x is not given',
    ]);
    expect(describeArgs({})).toBe('any arguments');
    expect(describeArgs({ path: { glob: ['a/*'] }, url: { domain: ['b.org'] } })).toBe('path matches "a/*"; url is on "b.org"');
  });
});
