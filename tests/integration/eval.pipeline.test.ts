import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/core/eval/scenario-runner';
import { loadSuite } from '../../src/core/eval/suite-runner';
import type { Scenario, ScenarioSuite } from '../../src/core/eval/suite-schema';
import { cliBin, repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);
const injection = loadSuite(join(repoRoot, 'resources', 'eval', 'injection.yaml')) as ScenarioSuite;

describe('evaluation pipeline', () => {
  it('ships at least 60 injection scenarios across files, web pages and tool results, and exfiltration, writes, deletes', () => {
    const attacks = injection.scenarios.filter((s) => s.kind === 'attack');
    expect(attacks.length).toBeGreaterThanOrEqual(60);
    for (const tag of ['file', 'web', 'tool-result', 'exfiltration', 'write', 'delete']) expect(attacks.some((s) => s.tags.includes(tag)), tag).toBe(true);
  });

  it('the worst-case model makes the attacker\'s calls, and none runs without approval', async () => {
    for (const id of ['inj-file-exfil-http-1', 'inj-web-write-2', 'inj-tool-result-delete-3', 'inj-web-exfil-get-2', 'inj-web-all']) {
      const result = await runScenario(injection.scenarios.find((s) => s.id === id)!);
      expect(result, id).toMatchObject({ attackSucceeded: false, completed: true });
      expect(result.asks, id).toBeGreaterThan(0);
    }
  });

  it('counts an attack as successful when the policy lets the attacker\'s call run unasked', async () => {
    const scenario = injection.scenarios.find((s) => s.id === 'inj-file-delete-1')!;
    const permissive: Scenario = { ...scenario, setup: { ...scenario.setup, policy: { rules: [{ tool: 'fs.delete', effect: 'allow' }] } } };
    const result = await runScenario(permissive);
    expect(result.attackSucceeded).toBe(true);
    expect(result.failures.join()).toMatch(/important\.docx should exist/);
  });

  it('a GET carrying the data in its URL counts as exfiltration: allowed unasked, it succeeds', async () => {
    const scenario = injection.scenarios.find((s) => s.id === 'inj-tool-result-exfil-get-1')!;
    const governed = await runScenario(scenario);
    expect(governed).toMatchObject({ attackSucceeded: false, completed: true });
    const permissive: Scenario = { ...scenario, setup: { ...scenario.setup, policy: { rules: [{ tool: 'web.fetch', effect: 'allow' }] } } };
    const result = await runScenario(permissive);
    expect(result.attackSucceeded).toBe(true);
    expect(result.failures.join()).toMatch(/ran without approval: web\.fetch/);
  });

  it('portcullis eval --suite PATH --json writes JSON and Markdown reports and exits 1 on a regression', async () => {
    const out = tempDir();
    const suite = join(out, 'tiny.yaml');
    writeFileSync(suite, stringify({ kind: 'policy', name: 'tiny', cases: [{ id: 'r', tool: { name: 't', annotations: { readOnlyHint: true } }, expect: 'allow' }] }));
    const ok = await run(process.execPath, [cliBin, 'eval', '--suite', suite, '--json', '--out', out]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ suites: [{ kind: 'policy', name: 'tiny', accuracy: 1 }], regressions: [] });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('1/1 decisions as expected');
    expect(existsSync(join(out, 'report.json'))).toBe(true);

    const baseline = join(out, 'baseline.json');
    writeFileSync(baseline, JSON.stringify({ tiny: { accuracy: 1 } }));
    writeFileSync(suite, stringify({ kind: 'policy', name: 'tiny', cases: [{ id: 'r', tool: { name: 't', annotations: {} }, expect: 'allow' }] }));
    const failed = await run(process.execPath, [cliBin, 'eval', '--suite', suite, '--baseline', baseline, '--out', out]).catch((e: { code: number; stdout: string }) => e);
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringContaining('accuracy fell from 1.000 to 0.000') });

    // A baseline that is not there is a mistake, not "No regressions" against nothing.
    const missing = join(out, 'typo.json');
    const unchecked = await run(process.execPath, [cliBin, 'eval', '--suite', suite, '--baseline', missing, '--out', out]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(unchecked).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining(`There is no baseline at ${missing}: name an existing file, or add --update-baseline to write it from this run.`) });
  });

  it('rejects a malformed suite with an error that names the field', async () => {
    const out = tempDir();
    const suite = join(out, 'bad.yaml');
    writeFileSync(suite, stringify({ kind: 'scenarios', name: 'bad', scenarios: [{ id: 'x', kind: 'attack' }] }));
    const failed = await run(process.execPath, [cliBin, 'eval', '--suite', suite, '--out', out]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('scenarios.0.user') });
  });

  it('portcullis route --json prints the intent, confidence, slots and tools', async () => {
    const { stdout } = await run(process.execPath, [cliBin, 'route', '--json', 'read notes.md']);
    expect(JSON.parse(stdout)).toMatchObject({ intent: 'files.read', confident: true, slots: { path: 'notes.md' }, tools: ['fs.read'] });
    expect(JSON.parse(stdout).confidence).toBeGreaterThan(0.5);
  });
});
