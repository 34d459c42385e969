import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const messagesOf = (host: Host, conversationId: string) => callHost<Message[]>(host, 'messages.list', { conversationId });
const ended = (list: Message[]) => list.at(-1)?.role === 'assistant' && list.at(-1)?.toolCalls === undefined;

describe('two Portcullis processes on one data folder', () => {
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const host of hosts.splice(0)) await stopHost(host, 'SIGKILL');
  });
  const start = async (dataDir: string): Promise<Host> => {
    const host = await startHost(dataDir);
    hosts.push(host);
    return host;
  };

  it('run one turn at a time in a conversation: the second is refused whole, naming the process that runs one', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const second = await start(dataDir); // not the folder's owner: the first holds runtime.lock
    const { id } = await callHost<{ id: string }>(first, 'conversations.create', {});
    await callHost(first, 'chat.send', { conversationId: id, text: 'write a.txt with hi' });
    const [pending] = await until('the write waits for approval', () => callHost<{ id: string }[]>(first, 'approvals.pending'), (list) => list.length === 1);

    // The other process lists it as running there (its sidebar marks it); the one that runs it has it as its own.
    expect(await callHost(second, 'conversations.runningElsewhere', {})).toEqual({ conversations: [{ conversationId: id, pid: first.process.pid }] });
    expect(await callHost(first, 'conversations.runningElsewhere', {})).toEqual({ conversations: [] });

    const refusal = `TURN_IN_PROGRESS This conversation is running a turn in another Portcullis (pid ${first.process.pid}); wait for it or stop it there.`;
    await expect(callHost(second, 'chat.send', { conversationId: id, text: 'list the files' })).rejects.toThrow(refusal);
    await expect(callHost(second, 'chat.retry', { conversationId: id })).rejects.toThrow(refusal);
    // Nor is the conversation deleted from under the turn (its next writes would find no conversation).
    await expect(callHost(second, 'conversations.delete', { conversationId: id })).rejects.toThrow(refusal);
    // Nothing of the refused message was stored.
    expect((await messagesOf(second, id)).map((m) => m.content)).not.toContain('list the files');

    // Once the first process's turn ends, the conversation is free for the second.
    await callHost(first, 'approvals.decide', { approvalId: pending!.id, choice: 'allow_once' });
    await until('the first turn ends', () => messagesOf(first, id), ended);
    await until('the second process no longer lists it', () => callHost<{ conversations: unknown[] }>(second, 'conversations.runningElsewhere', {}), ({ conversations }) => conversations.length === 0);
    await until('the second process may send', () => callHost(second, 'chat.send', { conversationId: id, text: 'list the files' }).then(() => true, () => false), (sent) => sent);
    const after = await until('the second turn ends', () => messagesOf(second, id), (list) => ended(list) && list.some((m) => m.content === 'list the files'));
    expect(after.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['write a.txt with hi', 'list the files']);
  }, 60_000);

  it('takes over a turn whose process was killed (kill -9): a crash leaves no claim that blocks', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const second = await start(dataDir);
    const { id } = await callHost<{ id: string }>(first, 'conversations.create', {});
    await callHost(first, 'chat.send', { conversationId: id, text: 'write a.txt with hi' });
    await until('the write waits for approval', () => callHost<unknown[]>(first, 'approvals.pending'), (list) => list.length === 1);
    await stopHost(first, 'SIGKILL');

    await callHost(second, 'chat.send', { conversationId: id, text: 'list the files' });
    const after = await until('the second turn ends', () => messagesOf(second, id), (list) => ended(list) && list.some((m) => m.content === 'list the files'));
    expect(after.at(-1)).toMatchObject({ role: 'assistant' });
  }, 60_000);

  it('ends the call a killed process left waiting as soon as another looks at the conversation, not at the next start', async () => {
    const dataDir = tempDir();
    const owner = await start(dataDir);
    const script = await start(dataDir); // not the owner: nothing of its would otherwise end before the owner restarts
    const { id } = await callHost<{ id: string }>(script, 'conversations.create', {});
    await callHost(script, 'chat.send', { conversationId: id, text: 'write a.txt with hi' });
    await until('the write waits for approval', () => callHost<unknown[]>(script, 'approvals.pending'), (list) => list.length === 1);
    expect(await callHost(owner, 'chat.runningElsewhere', { conversationId: id })).toEqual({ pid: script.process.pid });
    // Spans are stored as they end: the turn's model call has (it asked for the write); the turn's own root has not.
    const traceId = (await messagesOf(script, id)).find((m) => m.toolCalls)!.traceId!;
    await until('the ended spans are stored', () => callHost<unknown[]>(owner, 'traces.spans', { traceId }), (spans) => spans.length > 0);
    await stopHost(script, 'SIGKILL');

    // The page's check (every 2 s while a turn runs elsewhere) finds the process gone and ends its turn.
    expect(await callHost(owner, 'chat.runningElsewhere', { conversationId: id })).toEqual({ pid: null });
    const list = await messagesOf(owner, id);
    const answered = list.find((m) => m.role === 'tool');
    expect(answered?.toolCall).toMatchObject({
      toolName: 'fs.write', status: 'failed', approval: 'timed_out',
      error: { code: 'TOOL_INTERRUPTED', message: 'Portcullis stopped while this call waited for your approval, so it did not run.' },
    });
    // Its trace (the spans it had ended) is listed, ended as cut short, under its conversation.
    const [trace] = await callHost<{ traceId: string; status: string; conversationId: string | null }[]>(owner, 'traces.list', { conversationId: id });
    expect(trace).toMatchObject({ traceId, status: 'error', conversationId: id });
    // The turn is the newest one, unanswered: it is offered again (Retry), and a new message may be sent at once.
    await callHost(owner, 'chat.send', { conversationId: id, text: 'list the files' });
    await until('the owner turn ends', () => messagesOf(owner, id), (after) => ended(after) && after.some((m) => m.content === 'list the files'));
    expect((await messagesOf(owner, id)).filter((m) => m.role === 'tool')).toHaveLength(2);
  }, 60_000);
});
