import { describe, expect, it } from 'vitest';
import { routeTools } from '../../src/core/policy/intent-routing';
import { parsePolicy } from '../../src/core/policy/policy-parser';

const tools = ['fs.list', 'fs.read', 'fs.write', 'web.fetch', 'email.send'];
const parsed = parsePolicy(`
version: 1
intents:
  files: { tools: ["fs.*"], minConfidence: 0.6 }
  research: { tools: ["web.fetch", "fs.read"], minConfidence: 0.8, belowThreshold: no-tools }
`);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const { intents } = parsed.policy;

describe('policy-driven routing', () => {
  it("limits the tools the model is offered to the intent's allowlist", () => {
    expect(routeTools(intents, 'files', 0.9, tools)).toMatchObject({ action: 'run', tools: ['fs.list', 'fs.read', 'fs.write'] });
    expect(routeTools(intents, 'research', 0.95, tools)).toMatchObject({ action: 'run', tools: ['fs.read', 'web.fetch'] });
  });
  it('below the threshold it asks the person, or runs without tools', () => {
    expect(routeTools(intents, 'files', 0.5, tools)).toMatchObject({ action: 'ask', tools: ['fs.list', 'fs.read', 'fs.write'] });
    expect(routeTools(intents, 'research', 0.79, tools)).toMatchObject({ action: 'no-tools', tools: [] });
    expect(routeTools(intents, 'research', undefined, tools)).toMatchObject({ action: 'no-tools' });
    expect(routeTools(intents, 'research', Number.NaN, tools).reason).toMatch(/0% sure/);
  });
  it("an intent's !glob takes tools out of those the others name, rather than offering every tool but it", () => {
    const withExclusion = parsePolicy('version: 1\nintents:\n  files: { tools: ["fs.*", "!fs.write"] }\n');
    if (!withExclusion.ok) throw new Error(withExclusion.errors.join('\n'));
    expect(routeTools(withExclusion.policy.intents, 'files', 1, tools)).toMatchObject({ action: 'run', tools: ['fs.list', 'fs.read'] });
  });
  it('an intent the policy does not name, or none, offers every tool', () => {
    expect(routeTools(intents, 'chat', 0.99, tools)).toMatchObject({ action: 'run', tools });
    expect(routeTools(intents, undefined, undefined, tools)).toMatchObject({ action: 'run', tools });
  });
  it('a bad intent section is reported with its line', () => {
    const bad = parsePolicy('version: 1\nintents:\n  files: { minConfidence: 2 }\n', 'p.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^p\.yaml:3:\d+: at intents\.files\.minConfidence/);
  });
});
