import BetterSqlite3 from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyCommand } from '../../src/cli/commands/policy';
import { secretsCommand } from '../../src/cli/commands/secrets';
import { MASKED_IN_RULE, SECRET_IN_RULE } from '../../src/core/approvals/interactive-approval-gate';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { nextEvent, startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

const CANARY = 'zqcanary7x4k9m2p';
const MASK = '[REDACTED:secret]';

async function ask(t: TestRuntime, text: string) {
  const conversation = await t.runtime.handlers['conversations.create']({});
  const requested = nextEvent(t, 'approval.requested');
  const turn = t.runtime.startTurn(conversation.id, text);
  return { turn, request: await requested };
}

/** An "Always allow" rule made while the canary was not a secret yet: its pattern holds it. */
async function ruleHoldingCanary(t: TestRuntime): Promise<string> {
  const { turn, request } = await ask(t, `write notes/${CANARY}.md with one`);
  expect(request.proposedRule).toEqual({ tool: 'fs.write', args: { path: { glob: [`notes/${CANARY}.md`] } } });
  await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'always_allow', argumentsHash: request.argumentsHash });
  expect((await turn.done).toolCalls[0]).toMatchObject({ status: 'succeeded' });
  const [rule] = (await t.runtime.handlers['policy.status']({})).userRules;
  expect(JSON.stringify(rule)).toContain(CANARY);
  return rule!.id;
}

describe('an "Always allow" rule and a secret\'s value', () => {
  it('a rule made before the value was a secret is masked and turned off when it is stored, saying why on the Policies page', async () => {
    const t = startTestRuntime({ secretStore: new MemorySecretStore() });
    const ruleId = await ruleHoldingCanary(t);

    await t.runtime.handlers['secrets.set']({ name: 'deploy.token', value: CANARY });
    await t.runtime.secretScrubs.settled();

    // What the Policies page is given: the rule, masked, off, and why; never the value.
    const status = await t.runtime.handlers['policy.status']({});
    expect(JSON.stringify(status)).not.toContain(CANARY);
    expect(status.userRules).toEqual([
      expect.objectContaining({ id: ruleId, args: { path: { glob: [`notes/${MASK}.md`] } }, disabled: expect.stringMatching(/^Turned off: its pattern held the value of a secret/) }),
    ]);
    // Off in the running policy at once: the call it allowed asks again (a masked pattern is not what was allowed).
    const explained = await t.runtime.handlers['policy.explain']({ tool: 'fs.write', arguments: { path: `notes/${CANARY}.md`, content: 'two' } });
    expect(explained.decision).toMatchObject({ effect: 'ask', ruleId: 'default.mutating' });

    // On disk too, and `portcullis policy rules` says it is off; the rule is the person's to revoke.
    const db = new BetterSqlite3(join(t.dataDir, 'portcullis.db'), { readonly: true });
    expect(JSON.stringify(db.prepare('SELECT args_json, reason FROM policy_user_rules').all())).not.toContain(CANARY);
    db.close();
    const lines: string[] = [];
    await policyCommand({ values: { 'data-dir': t.dataDir }, positionals: ['rules'], out: (line) => lines.push(line) });
    expect(lines.join('\n')).toMatch(new RegExp(`^${ruleId.replaceAll('.', '\\.')} .*\\(off\\) Turned off:`));
    expect(await t.runtime.handlers['policy.rules.revoke']({ ruleId })).toEqual({ revoked: true });
    expect(await t.runtime.handlers['audit.verify']({})).toMatchObject({ ok: true });
  }, 60_000);

  it('portcullis secrets scrub beside the running app masks such a rule, turns it off and says so; the app stops applying it', async () => {
    const t = startTestRuntime();
    await ruleHoldingCanary(t);
    const call = { tool: 'fs.write', arguments: { path: `notes/${CANARY}.md`, content: 'two' } };
    expect((await t.runtime.handlers['policy.explain'](call)).decision.effect).toBe('allow');
    const lines: string[] = [];
    await secretsCommand({ values: { 'data-dir': t.dataDir }, positionals: ['scrub'], out: (line) => lines.push(line) }, new MemorySecretStore({ 'deploy.token': CANARY }));
    expect(lines.join('\n')).toContain('1 of your "Always allow" rules held one: masked and turned off');
    const [rule] = (await t.runtime.handlers['policy.status']({})).userRules;
    expect(rule).toMatchObject({ args: { path: { glob: [`notes/${MASK}.md`] } }, disabled: expect.stringMatching(/^Turned off/) });
    // The running app's policy looks at the rules again within a second, as it looks at policy.yaml.
    await until('the app dropping the rule', async () => (await t.runtime.handlers['policy.explain'](call)).decision, (decision) => decision.ruleId === 'default.mutating');
  }, 60_000);

  it('a rule whose pattern would hold a stored secret\'s value is refused in the dialog, which says why, and the call still waits', async () => {
    const t = startTestRuntime({ secretStore: new MemorySecretStore({ 'deploy.token': CANARY }) });
    await t.runtime.secretScrubs.settled();
    const { turn, request } = await ask(t, 'write notes/a.md with one');
    // The person widened the pattern by hand, typing the value into it.
    await expect(
      t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'always_allow', argumentsHash: request.argumentsHash, ruleArgs: { path: { regex: `notes/(a|${CANARY})\\.md` } } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: SECRET_IN_RULE });
    expect(SECRET_IN_RULE).not.toContain(CANARY);
    // Nothing was saved; the same approval is still open, and "Allow once" runs the call.
    expect((await t.runtime.handlers['policy.status']({})).userRules).toEqual([]);
    await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'allow_once', argumentsHash: request.argumentsHash });
    expect((await turn.done).toolCalls[0]).toMatchObject({ status: 'succeeded' });
  }, 60_000);

  it('a call waiting for approval whose arguments hold a stored secret\'s value is listed masked to a page that (re)loads, as its event was', async () => {
    const t = startTestRuntime({ secretStore: new MemorySecretStore({ 'deploy.token': CANARY }) });
    await until('the keychain read', () => t.runtime.redactor.redactText(CANARY), (text) => text === MASK);
    const requested = nextEvent(t, 'approval.requested');
    // A script's call, with the value in its arguments.
    const call = t.runtime.handlers['tools.call']({ name: 'fs.write', arguments: { path: `notes/${CANARY}.txt`, content: `pass ${CANARY}` } });
    const request = await requested;
    const pending = await t.runtime.handlers['approvals.pending']({});
    expect(pending.map((p) => p.id)).toEqual([request.id]);
    expect(JSON.stringify(pending)).not.toContain(CANARY);
    expect(pending[0]!.arguments).toEqual({ path: `notes/${MASK}.txt`, content: `pass ${MASK}` });
    // The rule proposed for it would hold the value (its path): "Always allow" is refused, as the dialog sends it
    // (the pattern it was shown, masked) or without a pattern; it is denied here.
    expect(pending[0]!.proposedRule!.args).toEqual({ path: { glob: [`notes/${MASK}.txt`] } });
    await expect(t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'always_allow', ruleArgs: pending[0]!.proposedRule!.args })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: MASKED_IN_RULE });
    await expect(t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'always_allow' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: SECRET_IN_RULE });
    expect((await t.runtime.handlers['policy.status']({})).userRules).toEqual([]);
    await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'deny' });
    await call;
  }, 60_000);

  it('arguments sent back from the dialog\'s editor as it showed them (a value masked) run with the call\'s own value, not the mask', async () => {
    const t = startTestRuntime({ secretStore: new MemorySecretStore({ 'deploy.token': CANARY }) });
    await until('the keychain read', () => t.runtime.redactor.redactText(CANARY), (text) => text === MASK);
    const requested = nextEvent(t, 'approval.requested');
    const call = t.runtime.handlers['tools.call']({ name: 'fs.write', arguments: { path: 'deploy.txt', content: `pass ${CANARY}` } });
    const request = await requested;
    expect(request.arguments).toEqual({ path: 'deploy.txt', content: `pass ${MASK}` });
    // The person opened "Edit arguments" and changed the path only.
    await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'allow_once', argumentsHash: request.argumentsHash, arguments: { path: 'deploy-2.txt', content: `pass ${MASK}` } });
    await call;
    expect(readFileSync(join(t.workspace, 'deploy-2.txt'), 'utf8')).toBe(`pass ${CANARY}`);
  }, 60_000);
});
