import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { processAlive } from '../../src/core/runtime/process-lock';
import { startHeadlessServer } from '../../src/server/headless-server';
import type { ApprovalRequest } from '../../src/shared/domain/approval';
import type { DirectCallOutcome } from '../../src/shared/domain/direct-call';
import { describeDecision } from '../../src/shared/tool-call-words';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const CANARY = 'canary-tools-call-5f1e9a77c2';

/** A Portcullis behind the local API, with the MCP servers of `mcpServers` (none by default) running. */
async function start(mcpServers?: Record<string, unknown>) {
  const dataDir = tempDir();
  if (mcpServers) writeMcpConfig(dataDir, mcpServers);
  const t = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ 'provider.openai': CANARY }) });
  await t.runtime.mcp.settled();
  const server = await startHeadlessServer({ runtime: t.runtime });
  onTestFinished(() => server.close());
  const keyOf = (scopes: Parameters<typeof t.runtime.apiKeys.create>[0]['scopes'], name = 'my script') => t.runtime.apiKeys.create({ name, scopes }).key;
  const post = async (key: string, channel: string, input: unknown) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as { ok: boolean; output?: unknown; error?: { code: string; message: string } } };
  };
  return { ...t, server, keyOf, post };
}

/** This process's tool workers (the runtime runs in it): children whose command runs tool-worker.js (Linux's /proc). */
function toolWorkerPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('tool-worker');
      } catch {
        return false; // ended while it was looked at
      }
    })
    .map(Number);
}

describe('tools.call: one governed call from a script through the local API', () => {
  it('runs an allowed call and answers with its result and the trace it recorded', async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const key = t.keyOf(['chat']);
    const { status, body } = await t.post(key, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' } });
    expect(status).toBe(200);
    const outcome = body.output as DirectCallOutcome;
    expect(outcome).toMatchObject({ outcome: 'ok', tool: 'fs.read', status: 'succeeded', decision: { effect: 'allow' }, approval: null, error: null });
    expect(JSON.stringify(outcome.result)).toContain('alpha');
    expect(outcome.traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await t.runtime.handlers['traces.spans']({ traceId: outcome.traceId! });
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['direct_call fs.read', 'execute_tool fs.read', 'policy fs.read']));
    expect(spans.find((s) => s.name === 'direct_call fs.read')?.attributes).toMatchObject({ 'portcullis.caller': 'key "my script"', 'portcullis.caller.channel': 'tools.call' });
    // Recorded as the CLI's calls are, in the conversation of the key's calls of the day, which says who made them.
    const conversation = (await t.runtime.handlers['conversations.list']({})).find((c) => c.id === outcome.conversationId);
    expect(conversation?.title).toMatch(/^my script · API key · \d{1,2} \w{3}$/);
    const messages = await t.runtime.handlers['messages.list']({ conversationId: outcome.conversationId! });
    // What was asked; who asked is the message's author (and the conversation's title), not said again on each call.
    expect(messages[0]).toMatchObject({ author: 'Local API (key "my script")', content: 'tools.call fs.read {"path":"a.txt"}' });
    expect(messages[2]!.toolCall).toMatchObject({ id: outcome.toolCallId, status: 'succeeded' });
  });

  it('waits for the person when the policy asks, and runs once a key with the approve scope allows it', async () => {
    const t = await start();
    const caller = t.keyOf(['chat']);
    const approver = t.keyOf(['approve'], 'approver');
    const call = t.post(caller, 'tools.call', { name: 'fs.write', arguments: { path: 'out.txt', content: 'hello' } });
    const pending = await until('the approval', async () => (await t.post(approver, 'approvals.pending', {})).body.output as ApprovalRequest[], (list) => list.length === 1);
    // Its conversation holds the key's calls of the day: "Allow for this conversation" holds for its later ones.
    expect(pending[0]).toMatchObject({ toolName: 'fs.write', decision: { effect: 'ask' } });
    expect(pending[0]!.soleCall).toBeUndefined();
    // The person's page names the conversation the call is recorded in: the script's, by its key.
    const conversations = await t.runtime.handlers['conversations.list']({});
    expect(conversations.find((c) => c.id === pending[0]!.conversationId)?.title).toMatch(/^my script · API key · /);
    const decided = await t.post(approver, 'approvals.decide', { approvalId: pending[0]!.id, choice: 'allow_once' });
    expect(decided.body).toEqual({ ok: true, output: { outcome: 'approved' } });
    const { body } = await call;
    // Who answered is in the outcome: the key that approved, not the person.
    expect(body.output).toMatchObject({ outcome: 'ok', status: 'succeeded', approval: 'approved', decidedBy: 'api: key "approver"', decision: { effect: 'ask' } });
    expect(readFileSync(join(t.workspace, 'out.txt'), 'utf8')).toBe('hello');
  });

  it('answers a call the policy denies, or the person, with the reason as data', async () => {
    const t = await start();
    const key = t.keyOf(['chat']);
    writeFileSync(join(t.workspace, '.env'), `OPENAI_API_KEY=${CANARY}`);
    const byRule = (await t.post(key, 'tools.call', { name: 'fs.read', arguments: { path: '.env' } })).body.output as DirectCallOutcome;
    expect(byRule).toMatchObject({ outcome: 'denied', status: 'denied', decision: { effect: 'deny' }, error: { code: 'POLICY_DENIED' } });
    expect(byRule.reason).toMatch(/^Denied by policy rule deny\.secrets: /);

    const call = t.post(key, 'tools.call', { name: 'fs.delete', arguments: { path: 'a.txt' } });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'deny', note: 'not today' });
    expect((await call).body.output).toMatchObject({ outcome: 'denied', approval: 'denied', error: { code: 'APPROVAL_REJECTED' }, reason: 'The person denied fs.delete. Their note: "not today"', decidedBy: 'person: deny' });
  });

  it('cancels a call that outlasts its timeout, the wait for the person included', async () => {
    const t = await start();
    const key = t.keyOf(['chat']);
    const { body } = await t.post(key, 'tools.call', { name: 'fs.write', arguments: { path: 'late.txt', content: 'x' }, timeoutMs: 300 });
    expect(body.output).toMatchObject({ outcome: 'denied', error: { code: 'TOOL_TIMEOUT' } });
    expect((body.output as DirectCallOutcome).error?.message).toBe('fs.write did not run: it took longer than the 300 ms its caller allowed (timeoutMs) while it waited for your approval, so it was cancelled.');
    // Its card says so, not that a turn ended.
    const messages = await t.runtime.handlers['messages.list']({ conversationId: (body.output as DirectCallOutcome).conversationId! });
    expect(describeDecision(messages.find((m) => m.toolCall)!.toolCall!)).toBe('not answered in the time its caller allowed');
    expect(await t.runtime.handlers['approvals.pending']({})).toEqual([]);
  });

  it("says an MCP tool's call that outlasts its timeout while it runs timed out, and after how long; its server is told to stop", async () => {
    const log = join(tempDir(), 'chaos.log');
    const t = await start({ chaos: { command: process.execPath, args: [chaosServer, '--log', log], sandbox: false } });
    const key = t.keyOf(['tools']);
    // An unsandboxed server's tool asks first: allowed at once, it then runs until the caller's limit.
    const call = t.post(key, 'tools.call', { name: 'chaos.hang', arguments: {}, timeoutMs: 2_500 });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_once' });
    const outcome = (await call).body.output as DirectCallOutcome;
    const said = 'chaos.hang timed out after 2.5 s, the time its caller allowed (timeoutMs); the server was told to stop.';
    expect(outcome).toMatchObject({ tool: 'chaos.hang', error: { code: 'TOOL_TIMEOUT', message: said } });
    // The call's record says so too, and the server heard the cancel.
    const messages = await t.runtime.handlers['messages.list']({ conversationId: outcome.conversationId! });
    expect(messages.find((m) => m.toolCall)?.toolCall).toMatchObject({ status: 'failed', error: { code: 'TOOL_TIMEOUT', message: said } });
    await until('the cancel logged', async () => readFileSync(log, 'utf8'), (text) => text.includes('cancelled hang'));
  });

  it("says a built-in's call that outlasts its timeout while it runs in the tool worker timed out, and after how long; the worker is stopped", async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const key = t.keyOf(['tools']);
    const read = (timeoutMs: number) => t.post(key, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' }, timeoutMs });
    expect((await read(5_000)).body.output).toMatchObject({ outcome: 'ok' });
    // Every tool worker frozen (SIGSTOP), so the next call hangs in one as a read stuck in the kernel would.
    const frozen = toolWorkerPids();
    expect(frozen.length).toBeGreaterThan(0);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    onTestFinished(() => frozen.filter(processAlive).forEach((pid) => process.kill(pid, 'SIGCONT')));
    const started = Date.now();
    const { body } = await read(1_500);
    expect(Date.now() - started).toBeLessThan(10_000);
    const outcome = body.output as DirectCallOutcome;
    const said = 'fs.read timed out after 1.5 s, the time its caller allowed (timeoutMs); the tool worker running it was stopped.';
    expect(outcome).toMatchObject({ outcome: 'error', tool: 'fs.read', error: { code: 'TOOL_TIMEOUT', message: said } });
    // The call's record says so too.
    const messages = await t.runtime.handlers['messages.list']({ conversationId: outcome.conversationId! });
    expect(messages.find((m) => m.toolCall?.id === outcome.toolCallId)?.toolCall).toMatchObject({ status: 'failed', error: { code: 'TOOL_TIMEOUT', message: said } });
    // The worker that held the call is gone; the others go on, and the next call runs.
    await until('the stuck worker gone', async () => frozen.filter((pid) => !processAlive(pid)), (gone) => gone.length === 1);
    frozen.filter(processAlive).forEach((pid) => process.kill(pid, 'SIGCONT'));
    expect((await read(5_000)).body.output).toMatchObject({ outcome: 'ok' });
  });

  it('withdraws the approval of a call whose script went away before the answer', async () => {
    const t = await start();
    const key = t.keyOf(['chat']);
    const quit = new AbortController();
    const call = fetch(`http://127.0.0.1:${t.server.port}/api/tools.call`, {
      method: 'POST', signal: quit.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ name: 'fs.write', arguments: { path: 'never.txt', content: 'x' } }),
    });
    call.catch(() => undefined);
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    quit.abort();
    await until('the approval withdrawn', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 0);
    const messages = await until('the call recorded', () => t.runtime.handlers['messages.list']({ conversationId: request!.conversationId }), (list) => list.length === 4);
    expect(messages[2]!.toolCall).toMatchObject({ status: 'denied', error: { code: 'TOOL_CANCELLED', message: expect.stringContaining('The caller closed its request before the answer came.') } });
  });

  it('says what is wrong with a mistyped tool or arguments its schema refuses', async () => {
    const t = await start();
    const key = t.keyOf(['chat']);
    const mistyped = (await t.post(key, 'tools.call', { name: 'fs.raed', arguments: { path: 'a.txt' } })).body.output as DirectCallOutcome;
    expect(mistyped).toMatchObject({ outcome: 'error', decision: null, error: { code: 'TOOL_NOT_FOUND' } });
    expect(mistyped.error?.message).toContain('Did you mean fs.read?');
    // Answered before the call is made: a typo leaves no "Direct call" conversation, trace or call behind.
    expect(mistyped).not.toHaveProperty('conversationId');
    expect(mistyped).not.toHaveProperty('traceId');
    expect(await t.runtime.handlers['conversations.list']({})).toEqual([]);
    const malformed = (await t.post(key, 'tools.call', { name: 'fs.read', arguments: { path: 42 } })).body.output as DirectCallOutcome;
    expect(malformed).toMatchObject({ outcome: 'error', error: { code: 'TOOL_ARGUMENTS_INVALID' } });
    expect(malformed.error?.message).toMatch(/path/);
    // The input itself is checked by the contract, as every channel's is.
    const noName = await t.post(key, 'tools.call', { arguments: {} });
    expect(noName.status).toBe(400);
    expect(noName.body.error?.message).toMatch(/^Invalid input for tools\.call: name/);
    // Arguments that are not an object are the script's mistake, said as such (a string was "not JSON"), with
    // nothing called or recorded, as tools call --args refuses them.
    const recorded = (await t.runtime.handlers['conversations.list']({})).length;
    for (const [notAnObject, shown] of [['x', '"x"'], [[1], '[1]'], [null, 'null']] as const) {
      const refused = await t.post(key, 'tools.call', { name: 'fs.list', arguments: notAnObject });
      expect(refused.status, shown).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: `Invalid input for tools.call: arguments: must be a JSON object, e.g. {"path":"."}, not ${shown}` });
    }
    expect(await t.runtime.handlers['conversations.list']({})).toHaveLength(recorded);
  });

  it('refuses a key without the tools scope (or chat, which implies it) with a 403 that names it', async () => {
    const t = await start();
    const key = t.keyOf(['traces:read']);
    const { status, body } = await t.post(key, 'tools.call', { name: 'fs.list', arguments: { path: '.' } });
    expect(status).toBe(403);
    expect(body.error).toEqual({ code: 'FORBIDDEN', message: expect.stringContaining('"tools" scope needed for tools.call') });
    expect((await t.post(t.keyOf(['tools']), 'tools.call', { name: 'fs.list', arguments: { path: '.' } })).status).toBe(200);
    // The person's memories and past conversations need chat.
    const memory = await t.post(t.keyOf(['tools']), 'tools.call', { name: 'memory.search', arguments: { query: 'x', scope: 'all' } });
    expect(memory.status).toBe(403);
    expect(memory.body.error?.message).toContain('needs the "chat" scope');
  });

  it('never hands back a secret the keychain holds, whatever the tool read', async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'notes.txt'), `the key is ${CANARY} here`);
    const key = t.keyOf(['chat']);
    const { text, body } = await t.post(key, 'tools.call', { name: 'fs.read', arguments: { path: 'notes.txt' } });
    expect(body.output).toMatchObject({ outcome: 'ok' });
    expect(text).toContain('the key is');
    expect(text).not.toContain(CANARY);
  });
});
