import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { conversationMarkdown } from '../../src/shared/conversation-markdown';
import { describeDecision } from '../../src/shared/tool-call-words';
import type { ApprovalRequest } from '../../src/shared/domain/approval';
import type { DirectCallOutcome } from '../../src/shared/domain/direct-call';
import { postChannel } from '../helpers/local-api-client';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

async function start() {
  const t = startTestRuntime({ dataDir: tempDir() });
  const server = await startHeadlessServer({ runtime: t.runtime, log: () => {} });
  onTestFinished(() => server.close());
  const call = async (key: string, name: string, args: unknown) => (await postChannel(server.port, key, 'tools.call', { name, arguments: args })).output as DirectCallOutcome;
  const pending = (key: string) => postChannel(server.port, key, 'approvals.pending', {}).then((reply) => reply.output as ApprovalRequest[]);
  return { ...t, call, pending, post: (key: string, channel: string, input: unknown) => postChannel(server.port, key, channel, input) };
}

const today = () => new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });

describe("a script's direct calls", () => {
  it("land in one conversation per caller and day, risen by its latest call, each call its own trace; the person's chat untouched", async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const mine = await t.runtime.handlers['conversations.create']({ title: 'My notes' });
    const backup = t.runtime.apiKeys.create({ name: 'nightly backup', scopes: ['tools'] }).key;
    const other = t.runtime.apiKeys.create({ name: 'other', scopes: ['tools'] }).key;

    const calls = [];
    for (let i = 0; i < 5; i++) calls.push(await t.call(backup, 'fs.read', { path: 'a.txt' }));
    expect(calls.map((c) => c.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(new Set(calls.map((c) => c.conversationId)).size).toBe(1);
    expect(new Set(calls.map((c) => c.traceId)).size).toBe(5);
    const othersCall = await t.call(other, 'fs.read', { path: 'a.txt' });
    expect(othersCall.conversationId).not.toBe(calls[0]!.conversationId);
    await t.call(backup, 'fs.list', { path: '.' });

    // One row per caller, the one that called last on top; the person's chat is still there, unchanged.
    const list = await t.runtime.handlers['conversations.list']({});
    expect(list.map((c) => c.title)).toEqual([`nightly backup · API key · ${today()}`, `other · API key · ${today()}`, 'My notes']);
    expect(await t.runtime.handlers['messages.list']({ conversationId: mine.id })).toEqual([]);
    const messages = await t.runtime.handlers['messages.list']({ conversationId: calls[0]!.conversationId! });
    expect(messages.filter((m) => m.role === 'user').map((m) => m.author)).toEqual(Array(6).fill('Local API (key "nightly backup")'));
    // Each call's trace holds that call alone.
    const spans = await t.runtime.handlers['traces.spans']({ traceId: calls[2]!.traceId! });
    expect(spans.filter((s) => s.name.startsWith('execute_tool'))).toHaveLength(1);
    // The export says each call by who made it.
    const markdown = conversationMarkdown(list[0]!, messages, new Date());
    expect(markdown.match(/^## Local API \(key "nightly backup"\) called `fs\.(read|list)`/gm)).toHaveLength(6);

    // A call the policy asks about waits in that conversation; since the key's later calls share it, the person may
    // allow them all for it.
    const approver = t.runtime.apiKeys.create({ name: 'approver', scopes: ['approve'] }).key;
    const write = t.call(backup, 'fs.write', { path: 'out.txt', content: 'x' });
    const [asked] = await until('the approval', () => t.pending(approver), (list) => list.length === 1);
    expect(asked).toMatchObject({ conversationId: calls[0]!.conversationId, toolName: 'fs.write' });
    expect(asked!.soleCall).toBeUndefined();
    // Said as what it covers: the key's calls of today, whichever run of the script makes them.
    expect(asked!.callerOfTheDay).toBe('nightly backup');
    await t.post(approver, 'approvals.decide', { approvalId: asked!.id, choice: 'allow_conversation' });
    expect(await write).toMatchObject({ outcome: 'ok', conversationId: calls[0]!.conversationId });
    expect(await t.call(backup, 'fs.write', { path: 'out.txt', content: 'y' })).toMatchObject({ outcome: 'ok', approval: null });
    // Its card says what the allowance covers as the button did: the key's calls today, not "this conversation".
    const [first, later] = (await t.runtime.handlers['messages.list']({ conversationId: calls[0]!.conversationId! })).filter((m) => m.toolCall?.toolName === 'fs.write').map((m) => m.toolCall!);
    expect(describeDecision(first!)).toBe('approved by key "approver" for nightly backup today');
    expect(describeDecision(later!)).toBe('allowed for nightly backup today by key "approver"');

    // Deleted (by the person, or retention), the next call makes it anew.
    await t.runtime.handlers['conversations.delete']({ conversationId: calls[0]!.conversationId! });
    const after = await t.call(backup, 'fs.read', { path: 'a.txt' });
    expect(after.conversationId).not.toBe(calls[0]!.conversationId);
    expect((await t.runtime.handlers['conversations.list']({}))[0]).toMatchObject({ id: after.conversationId, title: `nightly backup · API key · ${today()}` });
  }, 60_000);

  it('made at once as a caller\'s first of the day (an MCP client calling tools in parallel) still make one conversation', async () => {
    const t = await start();
    const key = t.runtime.apiKeys.create({ name: 'parallel', scopes: ['tools'] }).key;
    const calls = await Promise.all(Array.from({ length: 6 }, () => t.call(key, 'fs.list', { path: '.' })));
    expect(calls.map((c) => c.outcome)).toEqual(Array(6).fill('ok'));
    expect(new Set(calls.map((c) => c.conversationId)).size).toBe(1);
    expect((await t.runtime.handlers['conversations.list']({})).map((c) => c.title)).toEqual([`parallel · API key · ${today()}`]);
  });

  it('from the terminal (tools call, no Portcullis running) share one conversation too', async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const first = await t.runtime.callTool('fs.read', { path: 'a.txt' });
    const second = await t.runtime.callTool('fs.list', { path: '.' });
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.traceId).not.toBe(first.traceId);
    const list = await t.runtime.handlers['conversations.list']({});
    expect(list.map((c) => c.title)).toEqual([`Terminal · ${today()}`]);
  }, 30_000);
});
