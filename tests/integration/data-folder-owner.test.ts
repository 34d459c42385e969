import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const run = promisify(execFile);

describe('a data folder with Portcullis running on it', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('is owned by the running app: a command run beside it leaves its approval waiting, and the call ends once', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const running = host;
    expect(readFileSync(join(dataDir, 'runtime.pid'), 'utf8')).toBe(String(host.process.pid));
    const { id } = await callHost<{ id: string }>(host, 'conversations.create', {});
    await callHost(host, 'chat.send', { conversationId: id, text: 'write a.txt with hi' });
    const [pending] = await until('the write waits for approval', () => callHost<{ id: string }[]>(running, 'approvals.pending'), (list) => list.length === 1);

    // A terminal command on the same folder, while the approval waits: it is not the owner, and ends nothing.
    await run(process.execPath, [cliBin, 'conversations', 'list', '--data-dir', dataDir]);
    await callHost(host, 'approvals.decide', { approvalId: pending!.id, choice: 'allow_once' });
    const messages = await until('the turn ends', () => callHost<Message[]>(running, 'messages.list', { conversationId: id }), (list) => list.at(-1)?.role === 'assistant' && list.length > 2);
    expect(messages.filter((m) => m.role === 'tool').map((m) => m.toolCall?.status)).toEqual(['succeeded']);
    expect(readFileSync(join(dataDir, 'workspace', 'a.txt'), 'utf8')).toBe('hi');

    // A clean stop gives the folder up.
    await stopHost(host);
    host = undefined;
    expect(existsSync(join(dataDir, 'runtime.pid'))).toBe(false);
  }, 60_000);
});
