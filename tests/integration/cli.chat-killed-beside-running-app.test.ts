import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { manageLocalApi } from '../../src/server/local-api-host';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { startTestRuntime } from '../helpers/test-runtime';
import { pollUntil } from '../helpers/poll-until';

describe('portcullis chat --approve ask killed hard beside a running Portcullis', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('takes its turn with it: the turn stops as Stop stops it and its approval is withdrawn; the window\'s own turns are not tied to a connection', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const command = spawn(process.execPath, [cliBin, 'chat', '--json', '--approve', 'ask', '--data-dir', dataDir, 'fs.write {"path":"killed.txt","content":"hello"}'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => command.once('exit', resolve));
    const pending = await pollUntil(() => callHost<Array<{ id: string; conversationId: string }>>(host!, 'approvals.pending'), (list) => list.length > 0);
    const { conversationId } = pending[0]!;

    command.kill('SIGKILL'); // no Ctrl+C, no chat.stop: only its connection goes
    await exited;
    await pollUntil(() => callHost<unknown[]>(host!, 'approvals.pending'), (list) => list.length === 0);
    await pollUntil(() => callHost<{ turn: unknown }>(host!, 'chat.running', { conversationId }), (running) => running.turn === null);
    const messages = await callHost<Array<{ toolCall?: unknown }>>(host, 'messages.list', { conversationId });
    expect(messages.flatMap((message) => message.toolCall ?? [])).toMatchObject([{ toolName: 'fs.write', approval: 'denied', status: 'denied', error: { code: 'TURN_STOPPED' } }]);
    expect(existsSync(join(dataDir, 'workspace', 'killed.txt'))).toBe(false);

    // The page's own chat.send (its session over HTTP here, which has answered long before): the turn goes on waiting.
    await callHost(host, 'chat.send', { conversationId, text: 'fs.write {"path":"own.txt","content":"mine"}' });
    const own = await pollUntil(() => callHost<Array<{ id: string }>>(host!, 'approvals.pending'), (list) => list.length > 0);
    expect(own).toMatchObject([{ arguments: { path: 'own.txt' } }]);
    await callHost(host, 'approvals.decide', { approvalId: own[0]!.id, choice: 'allow_once' });
    await pollUntil(() => callHost<{ turn: unknown }>(host!, 'chat.running', { conversationId }), (running) => running.turn === null);
    expect(existsSync(join(dataDir, 'workspace', 'own.txt'))).toBe(true);
  }, 90_000);

  it('does so on the desktop app\'s socket for commands too (its local API off)', async () => {
    const { runtime, dataDir } = startTestRuntime();
    const app = manageLocalApi(runtime);
    onTestFinished(() => app.dispose());
    await app.settled();
    const command = spawn(process.execPath, [cliBin, 'chat', '--json', '--approve', 'ask', '--data-dir', dataDir, 'fs.write {"path":"killed.txt","content":"hello"}'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => command.once('exit', resolve));
    await pollUntil(async () => runtime.handlers['approvals.pending']({}), (list) => list.length > 0);
    command.kill('SIGKILL');
    await exited;
    await pollUntil(async () => runtime.handlers['approvals.pending']({}), (list) => list.length === 0);
    await pollUntil(async () => runtime.handlers['conversations.running']({}), (running) => running.turns.length === 0);
    expect(existsSync(join(dataDir, 'workspace', 'killed.txt'))).toBe(false);
  }, 60_000);
});
