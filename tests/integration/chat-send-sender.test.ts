import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { pollUntil } from '../helpers/poll-until';

interface Pending { id: string; conversationId: string; requestedBy?: string; sentBy?: string }
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
});
