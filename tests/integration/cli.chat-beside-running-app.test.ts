import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { tempDir } from '../helpers/temp-dir';
import { startTestRuntime } from '../helpers/test-runtime';
import { manageLocalApi } from '../../src/server/local-api-host';
import { readTerminalAccess } from '../../src/core/runtime/terminal-access';
import { runCli } from '../helpers/cli-process';
import { countedServer, countedStarts } from '../helpers/counted-server';
import { pollUntil } from '../helpers/poll-until';

describe('portcullis chat beside a running Portcullis goes through it', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('the turn is the app\'s: its server (no second copy), its conversation, the message shown as the Terminal\'s; the same JSON as alone', async () => {
    const dataDir = tempDir();
    const mark = countedServer(dataDir);
    host = await startHost(dataDir);
    await pollUntil(() => callHost<{ servers: Array<{ state: string }> }>(host!, 'tools.catalog'), (c) => c.servers[0]?.state === 'connected');

    const said = await runCli('chat', '--json', '--data-dir', dataDir, 'counted.echo {"message":"beside"}');
    expect(said.code).toBe(0);
    expect(said.stderr).toContain(`through the Portcullis running on this data folder (pid ${host.process.pid}): the turn is its own`);
    const output = JSON.parse(said.stdout) as Record<string, any>;
    expect(Object.keys(output)).toEqual(['conversationId', 'turnId', 'traceId', 'reply', 'toolCalls', 'error']);
    expect(output).toMatchObject({ toolCalls: [{ tool: 'counted.echo', decision: { effect: 'allow' }, status: 'succeeded' }], reply: expect.stringContaining('Echo: beside'), error: null, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(countedStarts(mark)).toBe(1);
    const messages = await callHost<Array<{ role: string; author?: string; turnId: string }>>(host, 'messages.list', { conversationId: output.conversationId });
    // A turn of the model's, whose message says the terminal sent it: not a direct call's request.
    expect(messages.find((message) => message.role === 'user')).toMatchObject({ turnId: output.turnId, author: 'Terminal' });
    expect(messages.find((message) => message.role === 'user')).not.toHaveProperty('directCall');
    // In words, as alone; and a second turn in the same conversation.
    const words = await runCli('chat', '--data-dir', dataDir, '--conversation', output.conversationId, 'counted.echo {"message":"again"}');
    expect(words.stdout).toMatch(/^\[counted\.echo\] allow → succeeded\n[\s\S]*Echo: again[\s\S]*\(trace [0-9a-f]{32}\)\n$/);
    expect(countedStarts(mark)).toBe(1);
  }, 90_000);

  it('--approve none denies without asking, ask waits for the answer in the app, all is refused (exit 2, nothing sent); alone, ask is refused', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const write = (approve: string, file: string) => runCli('chat', '--json', '--approve', approve, '--data-dir', dataDir, `fs.write {"path":"${file}","content":"hello"}`);

    const none = await write('none', 'a.txt');
    expect(JSON.parse(none.stdout)).toMatchObject({ toolCalls: [{ tool: 'fs.write', decision: { effect: 'ask' }, approval: 'denied', status: 'denied' }] });
    expect(await callHost(host, 'approvals.pending')).toEqual([]);
    expect(existsSync(join(dataDir, 'workspace', 'a.txt'))).toBe(false);

    const all = await write('all', 'a.txt');
    expect(all).toMatchObject({ code: 2, stdout: '' });
    expect(all.stderr).toContain(`Portcullis is running on this data folder (pid ${host.process.pid}), and this turn runs in it: its approvals are the person's`);
    expect(await callHost<unknown[]>(host, 'conversations.list')).toHaveLength(1);

    const asked = write('ask', 'b.txt');
    const pending = await pollUntil(() => callHost<Array<{ id: string; toolName: string }>>(host!, 'approvals.pending'), (list) => list.length > 0);
    expect(pending).toMatchObject([{ toolName: 'fs.write' }]);
    await callHost(host, 'approvals.decide', { approvalId: pending[0]!.id, choice: 'allow_once' });
    const allowed = await asked;
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ toolCalls: [{ tool: 'fs.write', approval: 'approved', status: 'succeeded' }] });
    expect(readFileSync(join(dataDir, 'workspace', 'b.txt'), 'utf8')).toBe('hello');

    await stopHost(host);
    host = undefined;
    const alone = await write('ask', 'c.txt');
    expect(alone).toMatchObject({ code: 2, stderr: expect.stringContaining('No Portcullis is running on this data folder to ask in') });
  }, 90_000);

  it('reaches the desktop app with its local API off on its socket for commands', async () => {
    const { runtime, dataDir } = startTestRuntime();
    const app = manageLocalApi(runtime);
    onTestFinished(() => app.dispose());
    await app.settled();
    expect(readTerminalAccess(dataDir)?.socket).toBeDefined();
    const said = await runCli('chat', '--json', '--data-dir', dataDir, 'fs.list {"path":"."}');
    expect(said.stderr).toContain(`through the Portcullis running on this data folder (pid ${process.pid}): the turn is its own`);
    expect(said.code).toBe(0);
    expect(JSON.parse(said.stdout)).toMatchObject({ toolCalls: [{ tool: 'fs.list', status: 'succeeded' }], error: null });
  }, 60_000);
});
