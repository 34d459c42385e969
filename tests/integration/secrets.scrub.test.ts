import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/commands/audit';
import { secretsCommand } from '../../src/cli/commands/secrets';
import type { ApprovalGate } from '../../src/core/approvals/approval-gate';
import { secretForms } from '../../src/core/redaction/secret-forms';
import { announceSecretsChanged } from '../../src/core/secrets/secrets-changed-signal';
import type { ScrubReport } from '../../src/core/storage/scrub/stored-secret-scrubber';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { StepScriptedModel } from '../helpers/step-scripted-model';
import { filesHolding } from '../helpers/stored-files';
import { tempDir } from '../helpers/temp-dir';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

// One word for the search index (lowercase, letters and digits), so a word of it left in the index is found by a search.
const CANARY = 'zqcanary7x4k9m2p';
// A base64 blob a tool printed, with the canary inside it at an offset (as a Basic auth header or a config dump has it).
const ENCODED = Buffer.from(`deploy:${CANARY}@prod`).toString('base64');
const SHORT = 'ab12x';
const MASK = '[REDACTED:secret]';

/** The files of the data folder that hold any written form of the canary, raw, encoded or as the index writes it. */
const holdingCanary = (dataDir: string): string[] => filesHolding(dataDir, ...secretForms(CANARY));

/**
 * A conversation holding the canary everywhere a value typed or said back before it was a secret lands: the person's
 * message, the title, a tool's result (also base64-encoded inside it), the call's span (full capture), a memory saved
 * from it, an approval's note, and an export of all of it.
 */
async function plantCanary(t: TestRuntime): Promise<string> {
  const { runtime, workspace } = t;
  writeFileSync(join(workspace, 'note.txt'), `the token is ${CANARY}\nblob ${ENCODED}\nshort ${SHORT}\n`);
  await runtime.handlers['telemetry.configure']({ captureMode: 'full' });
  const conversation = await runtime.handlers['conversations.create']({});
  await runtime.handlers['conversations.rename']({ conversationId: conversation.id, title: `Deploy with ${CANARY}` });
  const turn = await runtime.startTurn(conversation.id, `my token is ${CANARY} and the pin ${SHORT}`).done;
  expect(turn.error).toBeNull();
  expect(turn.toolCalls.map((call) => call.status)).toEqual(['succeeded', 'succeeded']);
  await runtime.telemetry.flush();
  await runtime.handlers['data.export']({});
  return conversation.id;
}

/** Approves every call with a note that holds the canary: the note is kept on the approval and in the audit chain. */
const notingGate: ApprovalGate = { request: async () => ({ outcome: 'approved', note: `fine, it is ${CANARY}` }) };

function plantingModel(): StepScriptedModel {
  return new StepScriptedModel([
    { toolCalls: [{ name: 'fs.read', arguments: { path: 'note.txt' } }, { name: 'memory.save', arguments: { content: `The deploy token is ${CANARY}` } }] },
    { text: 'Read it and remembered it.' },
  ]);
}

describe('a secret that was stored before it was known as one is scrubbed', () => {
  it('portcullis secrets scrub masks every keychain value where it is stored, beside the running app, and says how many rows per table', async () => {
    const t = startTestRuntime({ model: plantingModel(), approvalGate: notingGate });
    const conversationId = await plantCanary(t);
    // The canary really was stored: in the databases (or their WALs) and in the export.
    expect(holdingCanary(t.dataDir).length).toBeGreaterThan(0);
    expect((await t.runtime.handlers['search.query']({ query: CANARY })).length).toBeGreaterThan(0);

    const lines: string[] = [];
    // The canary as an OAuth sign-in keeps it: inside its token set's JSON.
    const keychain = new MemorySecretStore({ 'mcp-oauth.gw.tokens': JSON.stringify({ access_token: CANARY, token_type: 'Bearer' }), 'tiny.pin': SHORT });
    const started = performance.now();
    expect(await secretsCommand({ values: { 'data-dir': t.dataDir, json: true }, positionals: ['scrub'], out: (line) => lines.push(line) }, keychain)).toBe(0);
    const tookMs = performance.now() - started;
    const report = JSON.parse(lines.join('\n')) as ScrubReport;
    expect(report).toMatchObject({
      secrets: 2,
      tooShort: 1,
      // messages: the person's, and the model's request to save the memory.
      // audit_log: the approval's note (approval.decided), masked and declared on the chain.
      rows: { conversations: 1, messages: 2, tool_calls: 2, memories: 1, approvals: 1, taint_sources: 0, policy_user_rules: 0, audit_log: 1 },
      exports: 1,
      walsEmptied: true,
    });
    expect(report.rows.spans).toBeGreaterThan(0);
    expect(tookMs).toBeLessThan(5_000);

    // No file of the data folder holds it in any written form, WALs included; the short value is left alone.
    expect(holdingCanary(t.dataDir)).toEqual([]);
    expect(readFileSync(join(t.dataDir, 'portcullis.db')).includes(Buffer.from(`the pin ${SHORT}`))).toBe(true);
    // The rows read back whole, masked where the value stood.
    const messages = await t.runtime.handlers['messages.list']({ conversationId });
    expect(messages.find((m) => m.role === 'user')!.content).toBe(`my token is ${MASK} and the pin ${SHORT}`);
    expect((await t.runtime.handlers['conversations.list']({})).find((c) => c.id === conversationId)!.title).toBe(`Deploy with ${MASK}`);
    expect((await t.runtime.handlers['memories.list']({}))[0]!.content).toBe(`The deploy token is ${MASK}`);
    const read = messages.find((m) => m.toolCall?.toolName === 'fs.read')!.toolCall!;
    expect(JSON.stringify(read.result)).toContain(`the token is ${MASK}`);
    expect(JSON.stringify(read.result)).not.toContain(ENCODED);
    // The search index no longer finds it; the audit chain is intact, its masked entry declared on it.
    expect(await t.runtime.handlers['search.query']({ query: CANARY })).toEqual([]);
    expect(await t.runtime.handlers['audit.verify']({})).toMatchObject({ ok: true });
    const said: string[] = [];
    expect(await auditCommand({ values: { 'data-dir': t.dataDir }, positionals: ['verify'], out: (line) => said.push(line) })).toBe(0);
    expect(said[0]).toMatch(/^The audit log is intact: \d+ entries, 1 of them with a secret masked by a secrets scrub/);

    // Nothing left: a second run changes nothing.
    lines.length = 0;
    await secretsCommand({ values: { 'data-dir': t.dataDir, json: true }, positionals: ['scrub'], out: (line) => lines.push(line) }, keychain);
    const again = JSON.parse(lines.join('\n')) as ScrubReport;
    expect(Object.values(again.rows).every((n) => n === 0)).toBe(true);
    expect(again.exports).toBe(0);
  }, 60_000);

  it('a secret set on the Settings page is masked where it was stored before, while the app runs', async () => {
    const t = startTestRuntime({ model: plantingModel(), approvalGate: notingGate, secretStore: new MemorySecretStore() });
    const conversationId = await plantCanary(t);
    expect(holdingCanary(t.dataDir).length).toBeGreaterThan(0);

    await t.runtime.handlers['secrets.set']({ name: 'gw.auth', value: CANARY });
    await t.runtime.handlers['secrets.set']({ name: 'tiny.pin', value: SHORT });
    await t.runtime.secretScrubs.settled();

    expect(holdingCanary(t.dataDir)).toEqual([]);
    expect((await t.runtime.handlers['messages.list']({ conversationId })).find((m) => m.role === 'user')!.content).toBe(`my token is ${MASK} and the pin ${SHORT}`);
    expect(await t.runtime.handlers['search.query']({ query: CANARY })).toEqual([]);
    expect(await t.runtime.handlers['audit.verify']({})).toMatchObject({ ok: true });
    // The log says how many rows, never the value.
    const log = readFileSync(join(t.dataDir, 'logs', 'portcullis.log'), 'utf8');
    expect(log).toContain('"event":"secrets.scrubbed"');
    expect(log).not.toContain(CANARY);
  }, 60_000);

  it('a credential pasted into mcp.json, moved to the keychain on save, is masked where a server had said it back', async () => {
    const t = startTestRuntime({ model: plantingModel(), approvalGate: notingGate, secretStore: new MemorySecretStore() });
    await plantCanary(t);
    const text = JSON.stringify({ mcpServers: { deploy: { command: 'portcullis-test-absent-server', env: { DEPLOY_TOKEN: CANARY } } } });
    const saved = await t.runtime.handlers['tools.saveMcpConfig']({ text });
    expect(saved).toMatchObject({ saved: true, movedToKeychain: ['mcp.deploy.DEPLOY_TOKEN'] });
    await t.runtime.secretScrubs.settled();
    expect(holdingCanary(t.dataDir)).toEqual([]);
  }, 60_000);

  it('a secret stored by another process (portcullis secrets set) is masked by the running app from then on', async () => {
    const keychain = new MemorySecretStore();
    const t = startTestRuntime({ model: new StepScriptedModel([{ text: 'Noted.' }]), secretStore: keychain });
    // What `portcullis secrets set` does in its own process: the keychain, then the signal to the folder.
    await keychain.set('gw.auth', CANARY);
    announceSecretsChanged(t.dataDir);
    await until('the running app reading the keychain again', () => t.runtime.redactor.redactText(CANARY), (text) => text === MASK);
    const conversation = await t.runtime.handlers['conversations.create']({});
    await t.runtime.startTurn(conversation.id, `my token is ${CANARY}`).done;
    expect((await t.runtime.handlers['messages.list']({ conversationId: conversation.id }))[0]!.content).toBe(`my token is ${MASK}`);
    expect(readFileSync(join(t.dataDir, 'secrets.changed'), 'utf8')).not.toContain(CANARY);
  }, 60_000);

  it('a folder with nothing stored is not created by a scrub', async () => {
    const dataDir = join(tempDir(), 'never-used');
    const lines: string[] = [];
    await secretsCommand({ values: { 'data-dir': dataDir }, positionals: ['scrub'], out: (line) => lines.push(line) }, new MemorySecretStore({ a: CANARY }));
    expect(lines).toEqual(['Nothing is stored in this data folder yet.']);
    expect(existsSync(dataDir)).toBe(false);
  });
});
