import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { localApiCaller, mcpClientCaller } from '../../src/core/tools/direct-callers';
import { DIRECT_CALL_NOTE } from '../../src/core/tools/direct-tool-call';
import { conversationMarkdown } from '../../src/shared/conversation-markdown';
import { startTestRuntime } from '../helpers/test-runtime';

/** The key "cursor", held by the client that says it is Cursor. */
const cursor = { label: 'key "cursor"', name: 'cursor' };

describe('a tool call from a script (portcullis tools call)', () => {
  it('is listed as a conversation that shows the command, the call and its outcome, not one that opens empty', async () => {
    const { runtime, workspace } = startTestRuntime({ approvalGate: new FixedApprovalGate('none') });
    writeFileSync(join(workspace, 'a.txt'), 'alpha');
    const { conversationId, record } = await runtime.callTool('fs.read', { path: 'a.txt' });
    const messages = await runtime.handlers['messages.list']({ conversationId });
    // Answered, so the chat does not take it for a turn the model left unfinished (and offer to retry it).
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(messages[3]!.content).toBe(DIRECT_CALL_NOTE);
    expect(messages[0]!.content).toBe('portcullis tools call fs.read --args {"path":"a.txt"}');
    expect(messages[1]!.toolCalls).toEqual([{ id: expect.any(String), name: 'fs.read', arguments: { path: 'a.txt' } }]);
    expect(messages[2]!.toolCall).toMatchObject({ id: record.id, toolName: 'fs.read', status: 'succeeded' });

    // One refused before the policy (no such tool) reads the same way, with its error on the card, in the same
    // conversation: the terminal's calls of the day share one.
    const unknown = await runtime.callTool('nope.tool', {});
    expect(unknown.conversationId).toBe(conversationId);
    const refused = await runtime.handlers['messages.list']({ conversationId: unknown.conversationId });
    expect(refused.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user', 'assistant', 'tool', 'assistant']);
    expect(refused[6]!.toolCall).toMatchObject({ status: 'failed', error: { code: 'TOOL_NOT_FOUND' } });
    await runtime.dispose();
  });

  it("records an MCP session's calls in its conversation, and in a new one once the person deleted it", async () => {
    const { runtime } = startTestRuntime({ approvalGate: new FixedApprovalGate('none') });
    const caller = { title: 'Cursor (MCP, key "cursor")', author: 'Cursor (MCP)', request: 'tools/call fs.list', note: 'done' };
    const first = await runtime.callGoverned({ name: 'fs.list', arguments: { path: '.' } }, { caller });
    const second = await runtime.callGoverned({ name: 'fs.list', arguments: { path: '.' } }, { caller: { ...caller, conversationId: first.conversationId } });
    expect(second.conversationId).toBe(first.conversationId);
    await runtime.handlers['conversations.delete']({ conversationId: first.conversationId! });
    const third = await runtime.callGoverned({ name: 'fs.list', arguments: { path: '.' } }, { caller: { ...caller, conversationId: first.conversationId } });
    expect(third).toMatchObject({ outcome: 'ok' });
    expect(third.conversationId).not.toBe(first.conversationId);
    expect((await runtime.handlers['conversations.list']({})).map((c) => c.title)).toEqual(['Cursor (MCP, key "cursor")']);
    await runtime.dispose();
  });

  it('says who made the request (the terminal, a script by its key, an MCP client by its name) instead of "You", also read back after a restart', async () => {
    const { runtime, dataDir, workspace } = startTestRuntime({ approvalGate: new FixedApprovalGate('none') });
    const terminal = await runtime.callTool('fs.list', { path: '.' });
    const script = await runtime.callGoverned({ name: 'fs.list', arguments: { path: '.' } }, { caller: localApiCaller('fs.list', { path: '.' }, 'key "nightly backup"') });
    const client = await runtime.callGoverned({ name: 'fs.list', arguments: { path: '.' } }, { caller: mcpClientCaller('fs.list', { path: '.' }, cursor, `Cursor\n${'x'.repeat(200)}`) });
    const nameless = await runtime.callGoverned({ name: 'fs.list', arguments: { path: '.' } }, { caller: mcpClientCaller('fs.list', { path: '.' }, cursor, undefined) });
    await runtime.dispose();

    const { runtime: reopened } = startTestRuntime({ approvalGate: new FixedApprovalGate('none'), dataDir, workspace });
    const request = async (conversationId: string) => (await reopened.handlers['messages.list']({ conversationId }))[0]!;
    expect(await request(terminal.conversationId)).toMatchObject({ role: 'user', author: 'Terminal', directCall: true });
    expect(await request(script.conversationId!)).toMatchObject({ role: 'user', author: 'Local API (key "nightly backup")' });
    // A client names itself at any length: its label stays one short line (with its key, whose name it is not).
    expect((await request(client.conversationId!)).author).toBe(`Cursor ${'x'.repeat(52)}… (MCP, key "cursor")`);
    expect((await request(nameless.conversationId!)).author).toBe('MCP client (key "cursor")');
    // Only the person's own messages are "You"; a reply has no author.
    expect((await reopened.handlers['messages.list']({ conversationId: script.conversationId! }))[3]!.author).toBeUndefined();

    // A search hit in the request names who made it too.
    const found = await reopened.handlers['search.query']({ query: 'tools.call fs.list' });
    expect(found.find((hit) => hit.kind === 'message' && hit.conversationId === script.conversationId)).toMatchObject({ role: 'user', author: 'Local API (key "nightly backup")' });
    const conversation = (await reopened.handlers['conversations.list']({})).find((c) => c.id === script.conversationId)!;
    const exported = conversationMarkdown(conversation, await reopened.handlers['messages.list']({ conversationId: script.conversationId! }), new Date());
    expect(exported).toContain('## Local API (key "nightly backup") called `fs.list` · ');
    expect(exported).not.toContain('## You');
    await reopened.dispose();
  });
});
