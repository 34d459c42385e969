import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { pollUntil } from '../helpers/poll-until';

interface Pending { id: string; conversationId: string; requestedBy?: string; sentBy?: string; retriedBy?: string | null }
interface Stored { role: string; author?: string; directCall?: boolean }

describe('a turn someone other than the person sent says who sent it', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('portcullis chat beside the app and a key\'s chat.send: the message names its sender (no direct call), and so does the approval; the page\'s own turns name none', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const write = (file: string) => `fs.write {"path":"${file}","content":"hello"}`;
    const answer = async (conversationId: string): Promise<Pending> => {
      const [pending] = await pollUntil(() => callHost<Pending[]>(host!, 'approvals.pending'), (list) => list.some((request) => request.conversationId === conversationId));
      await callHost(host!, 'approvals.decide', { approvalId: pending!.id, choice: 'deny' });
      await pollUntil(() => callHost<{ turn: unknown }>(host!, 'chat.running', { conversationId }), (running) => running.turn === null);
      return pending!;
    };
    const request = async (conversationId: string): Promise<Stored> => (await callHost<Stored[]>(host!, 'messages.list', { conversationId })).findLast((message) => message.role === 'user')!;

    // The terminal.
    const command = spawn(process.execPath, [cliBin, 'chat', '--json', '--approve', 'ask', '--data-dir', dataDir, write('t.txt')], { stdio: 'ignore' });
    const exited = new Promise((resolve) => command.once('exit', resolve));
    const [first] = await pollUntil(() => callHost<Pending[]>(host!, 'approvals.pending'), (list) => list.length > 0);
    const fromTerminal = await answer(first!.conversationId);
    await exited;
    expect(fromTerminal).toMatchObject({ sentBy: 'Terminal' });
    expect(fromTerminal).not.toHaveProperty('requestedBy'); // the model asked, for the terminal's message
    const terminalMessage = await request(first!.conversationId);
    expect(terminalMessage).toMatchObject({ author: 'Terminal' });
    expect(terminalMessage).not.toHaveProperty('directCall');

    // A script's key.
    const { key } = await callHost<{ key: string }>(host, 'apiKeys.create', { name: 'nightly', scopes: ['chat'] });
    const { id: scripted } = await callHost<{ id: string }>(host, 'conversations.create', {});
    const sent = await fetch(`http://127.0.0.1:${host.port}/api/chat.send`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ conversationId: scripted, text: write('k.txt') }) });
    expect(sent.status).toBe(200);
    expect(await answer(scripted)).toMatchObject({ sentBy: 'Local API (key "nightly")' });
    expect(await request(scripted)).toMatchObject({ author: 'Local API (key "nightly")' });

    // The person's own page.
    const { id: own } = await callHost<{ id: string }>(host, 'conversations.create', {});
    await callHost(host, 'chat.send', { conversationId: own, text: write('o.txt') });
    expect(await answer(own)).not.toHaveProperty('sentBy');
    expect(await request(own)).not.toHaveProperty('author');
  }, 90_000);

  it("a key's turn retried keeps its sender, and says who retried it: the person (who then waits), or the key", async () => {
    host = await startHost(tempDir());
    // A model that fails a turn (a bad request), then, retried, asks to write a file.
    const model = await startFakeOpenAiServer(['e2e-model']);
    await callHost(host, 'models.set', { selection: { provider: 'openai-compatible', baseUrl: model.baseUrl, model: 'e2e-model', toolMode: 'native' } });
    const failsThenWrites = () => model.reply({ status: 400, body: '{"error":{"message":"the model is loading"}}' }, { sse: [chunk.toolStart(0, 'call_1', 'fs__write'), chunk.toolArgs(0, '{"path":"k.txt","content":"hello"}'), chunk.finish('tool_calls')] });
    const { key } = await callHost<{ key: string }>(host, 'apiKeys.create', { name: 'nightly', scopes: ['chat'] });
    const asKey = async (channel: string, body: unknown) => {
      const reply = await fetch(`http://127.0.0.1:${host!.port}/api/${channel}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(reply.status).toBe(200);
    };
    const ended = (conversationId: string) => pollUntil(() => callHost<{ turn: unknown }>(host!, 'chat.running', { conversationId }), (running) => running.turn === null);
    /** The retried turn's approval, then Stop: the turn ends without an answer again. */
    const askedThenStopped = async (conversationId: string): Promise<Pending> => {
      const [pending] = await pollUntil(() => callHost<Pending[]>(host!, 'approvals.pending'), (list) => list.some((request) => request.conversationId === conversationId));
      await callHost(host!, 'chat.stop', { conversationId });
      await ended(conversationId);
      return pending!;
    };
    const { id: conversationId } = await callHost<{ id: string }>(host, 'conversations.create', {});
    failsThenWrites();
    await asKey('chat.send', { conversationId, text: 'write k.txt' });
    await ended(conversationId);

    // The person presses Retry: the message is still the key's, and the person's own run of it is what waits.
    await callHost(host, 'chat.retry', { conversationId });
    expect(await askedThenStopped(conversationId)).toMatchObject({ sentBy: 'Local API (key "nightly")', retriedBy: null });
    // The key retries it: both say the key.
    model.reply({ sse: [chunk.toolStart(0, 'call_2', 'fs__write'), chunk.toolArgs(0, '{"path":"k.txt","content":"hello"}'), chunk.finish('tool_calls')] });
    await asKey('chat.retry', { conversationId });
    expect(await askedThenStopped(conversationId)).toMatchObject({ sentBy: 'Local API (key "nightly")', retriedBy: 'Local API (key "nightly")' });

    // The person's own message retried by the person: nothing to say.
    const { id: own } = await callHost<{ id: string }>(host, 'conversations.create', {});
    failsThenWrites();
    await callHost(host, 'chat.send', { conversationId: own, text: 'write k.txt' });
    await ended(own);
    await callHost(host, 'chat.retry', { conversationId: own });
    const retriedOwn = await askedThenStopped(own);
    expect(retriedOwn).not.toHaveProperty('sentBy');
    expect(retriedOwn).not.toHaveProperty('retriedBy');
  }, 90_000);
});
