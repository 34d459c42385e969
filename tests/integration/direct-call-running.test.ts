import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/api/contract';
import { localApiCaller, mcpClientCaller } from '../../src/core/tools/direct-callers';
import { describeDecision } from '../../src/shared/tool-call-words';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

const turnEvents = (t: TestRuntime, conversationId: string) =>
  t.events.flatMap((event: AppEvent) =>
    (event.channel === 'chat.turnStarted' || event.channel === 'chat.turnEnded') && event.payload.conversationId === conversationId ? [`${event.channel === 'chat.turnStarted' ? 'started' : 'ended'} ${event.payload.turnId}`] : [],
  );

/** The key "cursor", held by the client that says it is Cursor. */
const cursor = { label: 'key "cursor"', name: 'cursor' };

const pending = (t: TestRuntime, count: number) => until('the approvals', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === count);

describe("a script's or an MCP client's call, waiting for the person in this process", () => {
  it('is a turn the pages hear start and end, running (chat.running) until it ends, and stopped by Stop', async () => {
    const t = startTestRuntime();
    const write = { name: 'fs.write', arguments: { path: 'out.txt', content: 'hi' } };
    const call = t.runtime.callGoverned(write, { caller: mcpClientCaller('fs.write', write.arguments, cursor, 'Cursor') });
    const [request] = await pending(t, 1);
    const conversationId = request!.conversationId;
    const running = await t.runtime.handlers['chat.running']({ conversationId });
    expect(running.turn).toEqual({ turnId: expect.any(String), traceId: expect.any(String) });
    // Listed with every turn this process runs, for a page loaded meanwhile (its sidebar's dot).
    const { id: chatId } = await t.runtime.handlers['conversations.create']({});
    const chat = await t.runtime.handlers['chat.send']({ conversationId: chatId, text: 'write chat.txt with hi' });
    await pending(t, 2);
    expect((await t.runtime.handlers['conversations.running']({})).turns).toEqual(
      expect.arrayContaining([{ conversationId, ...running.turn! }, { conversationId: chatId, turnId: chat.turnId, traceId: chat.traceId }]),
    );
    await t.runtime.handlers['chat.stop']({ conversationId: chatId });
    await until('the chat turn ended', () => t.runtime.handlers['conversations.running']({}), ({ turns }) => turns.length === 1);
    expect(turnEvents(t, conversationId)).toEqual([`started ${running.turn!.turnId}`]);
    // Held from deletion while it waits, as a turn is: its rows would go from under it.
    await expect(t.runtime.handlers['conversations.delete']({ conversationId })).rejects.toThrow(/waiting or running in this conversation/);

    expect(await t.runtime.handlers['chat.stop']({ conversationId })).toEqual({ stopped: true });
    const outcome = await call;
    // Said as what happened to a call, not to a turn of the agent's (there was none).
    expect(outcome).toMatchObject({ outcome: 'denied', error: { code: 'TURN_STOPPED', message: 'fs.write did not run: Stop was pressed in Portcullis while it waited for your approval.' } });
    const [, , card] = await t.runtime.handlers['messages.list']({ conversationId });
    expect(describeDecision(card!.toolCall!)).toBe('not answered: you pressed Stop');
    expect(turnEvents(t, conversationId)).toEqual([`started ${running.turn!.turnId}`, `ended ${running.turn!.turnId}`]);
    expect((await t.runtime.handlers['chat.running']({ conversationId })).turn).toBeNull();
    expect((await t.runtime.handlers['conversations.running']({})).turns).toEqual([]);
    expect(await t.runtime.handlers['chat.stop']({ conversationId })).toEqual({ stopped: false });
  });

  it("of a session's two calls in one conversation, the one still waiting is said to run once the other ends", async () => {
    const t = startTestRuntime();
    const first = t.runtime.callGoverned({ name: 'fs.write', arguments: { path: 'a.txt', content: 'a' } }, { caller: mcpClientCaller('fs.write', {}, cursor, 'Cursor') });
    const [a] = await pending(t, 1);
    const caller = { ...mcpClientCaller('fs.write', {}, cursor, 'Cursor'), conversationId: a!.conversationId, sharesConversation: true };
    const second = t.runtime.callGoverned({ name: 'fs.write', arguments: { path: 'b.txt', content: 'b' } }, { caller });
    const both = await pending(t, 2);
    const b = both.find((request) => request.id !== a!.id)!;
    expect(b.conversationId).toBe(a!.conversationId);
    const [startedA, startedB] = turnEvents(t, a!.conversationId);

    await t.runtime.handlers['approvals.decide']({ approvalId: a!.id, choice: 'deny' });
    await first;
    const turnB = startedB!.replace('started ', '');
    expect(turnEvents(t, a!.conversationId)).toEqual([startedA, startedB, startedA!.replace('started', 'ended'), startedB]);
    expect((await t.runtime.handlers['chat.running']({ conversationId: a!.conversationId })).turn?.turnId).toBe(turnB);
    await t.runtime.handlers['approvals.decide']({ approvalId: b.id, choice: 'deny' });
    await second;
    expect(turnEvents(t, a!.conversationId).at(-1)).toBe(`ended ${turnB}`);
    expect((await t.runtime.handlers['chat.running']({ conversationId: a!.conversationId })).turn).toBeNull();
  });

  it('has its approval say who waits for the answer: the MCP client or the script, by the name its request shows', async () => {
    const t = startTestRuntime();
    const write = (path: string) => ({ name: 'fs.write', arguments: { path, content: 'x' } });
    const client = t.runtime.callGoverned(write('a.txt'), { caller: mcpClientCaller('fs.write', {}, cursor, 'Cursor') });
    const script = t.runtime.callGoverned(write('b.txt'), { caller: localApiCaller('fs.write', {}, 'key "backup"') });
    const asked = await pending(t, 2);
    expect(asked.map((request) => request.requestedBy).sort()).toEqual(['Cursor (MCP)', 'Local API (key "backup")']);
    const messages = await t.runtime.handlers['messages.list']({ conversationId: asked.find((request) => request.requestedBy === 'Cursor (MCP)')!.conversationId });
    expect(messages[0]!.author).toBe('Cursor (MCP)');
    for (const request of asked) await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'deny' });
    await Promise.all([client, script]);
  });

  it('names the key too when the client calls itself by a name that is not its key\'s, so no key waits as the person\'s trusted client', async () => {
    const t = startTestRuntime();
    const write = { name: 'fs.write', arguments: { path: 'a.txt', content: 'x' } };
    const spoofed = t.runtime.callGoverned(write, { caller: mcpClientCaller('fs.write', {}, { label: 'key "shady"', name: 'shady' }, 'Claude Desktop') });
    const byJwt = t.runtime.callGoverned(write, { caller: mcpClientCaller('fs.write', {}, { label: 'JWT ci-runner', name: 'ci-runner' }, 'Claude Desktop') });
    const unnamed = t.runtime.callGoverned(write, { caller: mcpClientCaller('fs.write', {}, { label: 'an API key', name: undefined }, 'Cursor') });
    const asked = await pending(t, 3);
    expect(asked.map((request) => request.requestedBy).sort()).toEqual(['Claude Desktop (MCP, JWT ci-runner)', 'Claude Desktop (MCP, key "shady")', 'Cursor (MCP, an API key)']);
    const messages = await t.runtime.handlers['messages.list']({ conversationId: asked.find((request) => request.requestedBy === 'Claude Desktop (MCP, key "shady")')!.conversationId });
    expect(messages[0]!.author).toBe('Claude Desktop (MCP, key "shady")');
    for (const request of asked) await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'deny' });
    await Promise.all([spoofed, byJwt, unnamed]);
  });
});
