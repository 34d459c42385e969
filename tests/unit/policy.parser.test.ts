import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RulesPolicyEngine } from '../../src/core/policy/policy-engine';
import { parsePolicy } from '../../src/core/policy/policy-parser';
import { findDefaultPolicyFile, PolicySource } from '../../src/core/policy/policy-source';
import { tempDir } from '../helpers/temp-dir';

const tool = { name: 'fs.write', annotations: { readOnlyHint: false } };

describe('policy file', () => {
  it('the shipped default is valid', () => {
    const file = findDefaultPolicyFile();
    expect(file).not.toBeNull();
    const source = new PolicySource({ file: join(tempDir(), 'policy.yaml'), workspace: tempDir() });
    expect(source.error).toBeNull();
    expect(source.rules().map((r) => r.id)).toContain('deny.secrets');
  });

  it('a YAML syntax error names its line', () => {
    const result = parsePolicy('version: 1\nrules:\n  - id: a\n    effect: [allow\n', 'p.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^p\.yaml:\d+:\d+: /);
  });

  it('a schema error names the line of the bad value and what is wrong', () => {
    const result = parsePolicy('version: 1\nrules:\n  - id: ok\n    effect: allow\n    reason: fine\n  - id: bad\n    effect: maybe\n    reason: x\n', 'p.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(/p\.yaml:7:\d+: at rules\.1\.effect .*allow.*ask.*deny/);
  });

  it('a list condition takes one value alone for a list of it (as the Always allow editor and a hand-written rule give it)', () => {
    const result = parsePolicy('version: 1\nrules:\n  - { id: notes, effect: allow, reason: r, match: { tool: fs.write, args: { path: { glob: "notes/*.md", within: notes } } } }\n');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.policy.rules[0]?.match.args?.path).toEqual({ glob: ['notes/*.md'], within: ['notes'] });
    expect(parsePolicy('version: 1\nrules:\n  - { id: e, effect: deny, reason: r, match: { args: { path: { glob: "" } } } }\n').ok).toBe(false);
  });

  it('unknown keys, duplicate ids and the wrong version are errors', () => {
    const bad = parsePolicy('version: 2\nrules:\n  - { id: a, effect: deny, reason: r, match: { tol: x } }\n  - { id: a, effect: deny, reason: r }\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const text = bad.errors.join('\n');
      expect(text).toMatch(/version/);
      expect(text).toMatch(/tol/);
    }
    const dup = parsePolicy('version: 1\nrules:\n  - { id: a, effect: deny, reason: r }\n  - { id: a, effect: deny, reason: r }\n');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.errors.join('\n')).toMatch(/3:\d+: at rules.1.id rule id "a" is used twice|4:\d+: at rules.1.id rule id "a" is used twice/);
  });

  it('a broken file keeps the last good policy in force and shows the error; never allow-all', () => {
    const dir = tempDir();
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'version: 1\nrules:\n  - { id: deny.writes, effect: deny, reason: no writes, match: { tool: fs.write } }\n');
    const source = new PolicySource({ file, workspace: dir });
    expect(source.evaluate({ tool, arguments: {} })).toMatchObject({ effect: 'deny', ruleId: 'deny.writes' });
    writeFileSync(file, 'version: 1\nrules: [ {id: broken\n');
    source.reload();
    expect(source.error).toMatch(/last good policy .* stays in force/);
    expect(source.error).toMatch(/policy\.yaml:\d+:\d+/);
    expect(source.evaluate({ tool, arguments: {} })).toMatchObject({ effect: 'deny', ruleId: 'deny.writes' });
    // Another process on the folder (a restart, `portcullis policy explain` beside the app) keeps it in force too.
    const later = new PolicySource({ file, workspace: dir });
    expect(later.source).toBe(`${file}.last-good`);
    expect(later.error).toMatch(/^The policy file has errors, so the last good policy \(.*policy\.yaml\.last-good\) stays in force/);
    expect(later.evaluate({ tool, arguments: {} })).toMatchObject({ effect: 'deny', ruleId: 'deny.writes' });
  });

  it("a broken file at start-up leaves the shipped default in force, its deny rules too, and says so", () => {
    const dir = tempDir();
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'version: 1\nrules: [ {id: broken\n');
    const source = new PolicySource({ file, workspace: dir });
    expect(source.source).toBe(findDefaultPolicyFile());
    expect(source.error).toMatch(/^The policy file has errors, so the last good policy \(.*policy\.default\.yaml\) stays in force:\n.*policy\.yaml:\d+:\d+/);
    expect(source.rules().map((r) => r.id)).toContain('deny.secrets');
    const read = { name: 'fs.read', annotations: { readOnlyHint: true } };
    expect(source.evaluate({ tool: read, arguments: { path: join(dir, '.env') } })).toMatchObject({ effect: 'deny', ruleId: 'deny.secrets' });
    // Fixed, the person's file takes over.
    writeFileSync(file, 'version: 1\nrules: []\n');
    source.reload();
    expect({ source: source.source, error: source.error, rules: source.rules().length }).toEqual({ source: file, error: null, rules: 0 });
  });

  it('a file and its last good copy both holding a rule of only !globs (valid before, refused since) leave the shipped default in force, with the error shown', () => {
    const dir = tempDir();
    const file = join(dir, 'policy.yaml');
    // Read before as "every tool but fs.delete" (and every server but one): an allow-all for shell.run too.
    const widening = 'version: 1\nrules:\n  - id: allow.most\n    effect: allow\n    reason: everything but deletes\n    match:\n      tool: "!fs.delete"\n  - id: allow.servers\n    effect: allow\n    reason: not that one\n    match:\n      server: ["!untrusted"]\n';
    writeFileSync(file, widening);
    writeFileSync(`${file}.last-good`, widening);
    const source = new PolicySource({ file, workspace: dir });
    expect(source.source).toBe(findDefaultPolicyFile());
    expect(source.error).toMatch(/^The policy file has errors, so the last good policy \(.*policy\.default\.yaml\) stays in force:\n.*policy\.yaml:7:\d+: at rules\.0\.match\.tool .* only takes tools out/);
    expect(source.error).toMatch(/policy\.yaml:12:\d+: at rules\.1\.match\.server .* only takes servers out/);
    expect(source.rules().map((r) => r.id)).not.toContain('allow.most');
    const shell = { name: 'shell.run', annotations: { readOnlyHint: false } };
    expect(source.evaluate({ tool: shell, arguments: { command: 'rm -rf ~' } }).effect).not.toBe('allow');
    expect(source.evaluate({ tool, arguments: { path: join(dir, 'a.txt') } }).ruleId).not.toBe('allow.most');
    // The broken copy is not written over by the shipped default: the person's own words are kept to fix.
    expect(readFileSync(`${file}.last-good`, 'utf8')).toBe(widening);
  });

  it('a broken file at start-up with no shipped default leaves no rules (ask), not allow-all', () => {
    const dir = tempDir();
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'rules: 3\n');
    const source = new PolicySource({ file, workspace: dir, defaultFile: null });
    expect(source.error).not.toBeNull();
    expect(source.evaluate({ tool, arguments: {} }).effect).toBe('ask');
  });

  it('an invalid regular expression is a validation error with its line, not a crash', () => {
    const result = parsePolicy('version: 1\nrules:\n  - { id: a, effect: deny, reason: r, match: { args: { x: { regex: "(" } } } }\n', 'p.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/p\.yaml:3:\d+: .*regex .*not a valid regular expression/);
  });

  it('a stored always-allow rule that cannot be compiled is left out, and the rest still work', () => {
    const dir = tempDir();
    const source = new PolicySource({ file: join(dir, 'policy.yaml'), workspace: dir, defaultFile: null });
    source.setUserRules([
      { id: 'user.bad', tool: 'fs.write', server: null, args: { path: { regex: '(' } }, reason: 'r', createdAt: 1 },
      { id: 'user.good', tool: 'fs.write', server: null, args: {}, reason: 'r', createdAt: 1 },
    ]);
    expect(source.evaluate({ tool, arguments: {} }).ruleId).toBe('user.good');
  });

  it('says an empty file is empty, and names a missing or wrong version once', () => {
    expect(parsePolicy('# nothing yet\n', 'p.yaml')).toEqual({ ok: false, errors: [expect.stringMatching(/^p\.yaml:1:1: the file is empty; a policy begins with "version: 1"/)] });
    expect(parsePolicy('rules: []', 'p.yaml')).toEqual({ ok: false, errors: ['p.yaml:1:1: version must be 1 (the only policy format this build knows)'] });
  });
});

describe('a regex condition opening with an inline flag group, as other tools write it', () => {
  const policyWith = (regex: string) =>
    `version: 1\nrules:\n  - id: deny.pw\n    effect: deny\n    reason: r\n    match: { tool: shell.run, args: { command: { regex: ${JSON.stringify(regex)} } } }\n`;
  const decide = (regex: string, command: string) => {
    const result = parsePolicy(policyWith(regex), 'p.yaml');
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const engine = new RulesPolicyEngine(result.policy.rules, { workspace: '/w', home: '/h', ignoreCase: false });
    return engine.evaluate({ tool: { name: 'shell.run', annotations: {} }, arguments: { command } }).effect;
  };

  it('(?i) matches in any case, (?s) lets . match a newline, (?m) puts ^ and $ at each line, and they mix', () => {
    expect(decide('(?i)password', 'echo PassWord')).toBe('deny');
    expect(decide('password', 'echo PassWord')).toBe('ask');
    expect(decide('(?s)a.b', 'a\nb')).toBe('deny');
    expect(decide('a.b', 'a\nb')).toBe('ask');
    expect(decide('(?m)^rm', 'ls\nrm x')).toBe('deny');
    expect(decide('^rm', 'ls\nrm x')).toBe('ask');
    expect(decide('(?is)secret.key', 'SECRET\nKEY')).toBe('deny');
    expect(decide('(?i:pass)word', 'PASSword')).toBe('deny');
  });

  it('an unsupported flag or a flag group past the start is an error with its line and column that says what works', () => {
    for (const [regex, words] of [
      ['(?x)pass word', /inline flag "x" is not supported: a pattern may open with \(\?i\)/],
      ['api(?i)key', /inline flag group works only at the very start/],
      ['(?-i)key', /inline flag group works only at the very start/],
      ['(?i)(', /p\.yaml:6:\d+: .*regex this is not a valid regular expression$/],
    ] as const) {
      const result = parsePolicy(policyWith(regex), 'p.yaml');
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors[0]).toMatch(/^p\.yaml:6:\d+: at rules\.0\.match\.args\.command\.regex /);
        expect(result.errors[0]).toMatch(words);
      }
    }
  });
});

describe("a rule's !glob takes tools out of those the others name, as --approve and a key's tools read it", () => {
  const engineFor = (tool: string) => {
    const result = parsePolicy(`version: 1\nrules:\n  - id: allow.memory\n    effect: allow\n    reason: r\n    match: { tool: ${tool} }\n`, 'p.yaml');
    if (!result.ok) throw new Error(result.errors.join('\n'));
    return new RulesPolicyEngine(result.policy.rules, { workspace: '/w', home: '/h', ignoreCase: false });
  };
  const effect = (engine: RulesPolicyEngine, name: string) => engine.evaluate({ tool: { name, annotations: {} }, arguments: {} }).effect;

  it('"memory.*" but "!memory.delete_entities" allows the others of memory, not that one, nor any other tool', () => {
    const engine = engineFor('["memory.*", "!memory.delete_entities"]');
    expect(effect(engine, 'memory.read_graph')).toBe('allow');
    expect(effect(engine, 'memory.delete_entities')).toBe('ask');
    expect(effect(engine, 'shell.run')).toBe('ask'); // picomatch alone read "!memory.delete_entities" as every tool but it
    expect(effect(engineFor('["fs.read", "!fs.*"]'), 'fs.read')).toBe('ask');
  });

  it('a rule, or an intent, whose tools are only !globs is an error with its line that says to name the tools too', () => {
    for (const tool of ['"!fs.delete"', '["!fs.delete", "!shell.*"]']) {
      const result = parsePolicy(`version: 1\nrules:\n  - id: allow.all-but\n    effect: allow\n    reason: r\n    match: { tool: ${tool} }\n`, 'p.yaml');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.join('\n')).toMatch(/^p\.yaml:6:\d+: at rules\.0\.match\.tool .* only takes tools out \(a !glob takes tools out of those the others name, and alone names none\): name the tools too, e\.g\. tool: \["memory\.\*", "!memory\.delete_entities"\]/);
    }
    const intent = parsePolicy('version: 1\nintents:\n  files: { tools: ["!fs.delete"] }\n', 'p.yaml');
    expect(intent.ok).toBe(false);
    if (!intent.ok) expect(intent.errors.join('\n')).toMatch(/^p\.yaml:3:\d+: at intents\.files\.tools \["!fs\.delete"\] only takes tools out/);
  });
});

describe("a rule's server list reads as its tool list: a !glob takes servers out of those the others name", () => {
  const engineFor = (effect: string, server: string) => {
    const result = parsePolicy(`version: 1\nrules:\n  - id: r.servers\n    effect: ${effect}\n    reason: r\n    match: { tool: "*", server: ${server} }\n`, 'p.yaml');
    if (!result.ok) throw new Error(result.errors.join('\n'));
    return new RulesPolicyEngine(result.policy.rules, { workspace: '/w', home: '/h', ignoreCase: false });
  };
  const effect = (engine: RulesPolicyEngine, server: string) =>
    engine.evaluate({ tool: { name: `${server}.write`, annotations: {}, server, sandboxed: true }, arguments: {}, server }).effect;

  it('an allow rule\'s ["git*", "!github"] allows git and gitlab, not github, nor any other server', () => {
    const engine = engineFor('allow', '["git*", "!github"]');
    expect(effect(engine, 'git')).toBe('allow');
    expect(effect(engine, 'gitlab')).toBe('allow');
    expect(effect(engine, 'github')).toBe('ask');
    expect(effect(engine, 'shell')).toBe('ask'); // picomatch alone read "!github" as every server but it
  });

  it('a deny rule for every server but one is written with "*": ["*", "!trusted"]', () => {
    const engine = engineFor('deny', '["*", "!trusted"]');
    expect(effect(engine, 'untrusted')).toBe('deny');
    expect(effect(engine, 'trusted')).toBe('ask');
  });

  it('a rule whose servers are only !globs is an error with its line that shows how to write "every server but"', () => {
    for (const server of ['"!untrusted"', '["!untrusted", "!shell*"]']) {
      const result = parsePolicy(`version: 1\nrules:\n  - id: allow.all-but\n    effect: allow\n    reason: r\n    match: { server: ${server} }\n`, 'p.yaml');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.join('\n')).toMatch(/^p\.yaml:6:\d+: at rules\.0\.match\.server .* only takes servers out \(a !glob takes servers out of those the others name, and alone names none\): name the servers too, e\.g\. server: \["\*", "!untrusted"\]/);
    }
  });
});
