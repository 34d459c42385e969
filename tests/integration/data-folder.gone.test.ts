import { renameSync, rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { describeDecision } from '../../src/shared/tool-call-words';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

type Info = { notices: { kind: string; message: string }[] };

describe('the data folder deleted under a running `portcullis serve`', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('is said to the terminal and to every page, the turn under way stops, and no new message or change is taken as if saved', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const running = host;
    expect((await callHost<Info>(host, 'app.info')).notices).toEqual([]);
    const { id } = await callHost<{ id: string }>(host, 'conversations.create', {});
    await callHost(host, 'chat.send', { conversationId: id, text: 'write a.txt with hi' });
    await until('the write waits for approval', () => callHost<unknown[]>(running, 'approvals.pending'), (list) => list.length === 1);

    rmSync(dataDir, { recursive: true, force: true });
    const said = `The data folder ${dataDir} was deleted while Portcullis was running. Nothing from now on can be saved, so no new message or change is taken`;
    const { notices } = await until('the host notices', () => callHost<Info>(running, 'app.info'), (info) => info.notices.length > 0);
    expect(notices).toEqual([{ kind: 'data-folder-gone', message: expect.stringContaining(said) }]);
    expect(host.log()).toContain(`portcullis: ${said}`);
    // The turn waiting for approval ended with it (its approval withdrawn), and a new message is refused with why.
    await until('the waiting turn stops', () => callHost<unknown[]>(running, 'approvals.pending'), (list) => list.length === 0);
    // Its call says why it did not run: not "you pressed Stop".
    const calls = await until('the call is ended', async () => (await callHost<Message[]>(running, 'messages.list', { conversationId: id })).flatMap((m) => (m.toolCall ? [m.toolCall] : [])), (list) => list.some((c) => c.status === 'denied'));
    expect(calls[0]).toMatchObject({ status: 'denied', approval: 'denied', error: { code: 'DATABASE_ERROR', message: expect.stringContaining(`fs.write did not run: the turn ended while it waited for your approval. ${said}`) } });
    expect(describeDecision(calls[0]!)).toBe('not answered: the turn ended');
    await expect(callHost(host, 'chat.send', { conversationId: id, text: 'list the files' })).rejects.toThrow(`DATABASE_ERROR ${said}`);
    await expect(callHost(host, 'chat.retry', { conversationId: id })).rejects.toThrow(`DATABASE_ERROR ${said}`);
    // So is any other change that would look kept: a new conversation, a title, a setting, a memory.
    await expect(callHost(host, 'conversations.create', {})).rejects.toThrow(`DATABASE_ERROR ${said}`);
    await expect(callHost(host, 'conversations.rename', { conversationId: id, title: 'Renamed' })).rejects.toThrow(`DATABASE_ERROR ${said}`);
    await expect(callHost(host, 'workspace.set', { path: null })).rejects.toThrow(`DATABASE_ERROR ${said}`);
    await expect(callHost(host, 'memories.update', { id: 'some-memory', content: 'tea' })).rejects.toThrow(`DATABASE_ERROR ${said}`);
    // What only reads, or takes something away, still answers.
    expect((await callHost<{ id: string; title: string }[]>(host, 'conversations.list')).map((c) => c.id)).toEqual([id]);
    await callHost(host, 'conversations.delete', { conversationId: id });
  }, 60_000);

  it('says so too when portcullis.db is replaced by another file', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const running = host;
    const file = join(dataDir, 'portcullis.db');
    copyFileSync(file, `${file}.copy`);
    renameSync(`${file}.copy`, file);
    const { notices } = await until('the host notices', () => callHost<Info>(running, 'app.info'), (info) => info.notices.length > 0);
    expect(notices[0]!.message).toContain(`portcullis.db in ${dataDir} was replaced by another file while Portcullis was running`);
  }, 60_000);
});
