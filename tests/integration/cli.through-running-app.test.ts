import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { terminalAccessFile } from '../../src/core/runtime/terminal-access';
import { tempDir } from '../helpers/temp-dir';
import { runCli } from '../helpers/cli-process';
import { countedServer, countedStarts } from '../helpers/counted-server';
import { pollUntil } from '../helpers/poll-until';

describe('tools list and tools call beside a running Portcullis go through it', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('list shows the running app\'s servers and call is its call: no second copy of a server is started', async () => {
    const dataDir = tempDir();
    const mark = countedServer(dataDir);
    host = await startHost(dataDir);
    const appCatalog = await pollUntil(() => callHost<{ servers: Array<{ name: string; state: string }> }>(host!, 'tools.catalog'), (c) => c.servers[0]?.state === 'connected');
    expect(countedStarts(mark)).toBe(1);

    const listed = await runCli('tools', 'list', '--json', '--data-dir', dataDir);
    expect(listed.code).toBe(0);
    const catalog = JSON.parse(listed.stdout) as Record<string, any>;
    // The same shape as alone, and the app's state.
    expect(Object.keys(catalog)).toEqual(['tools', 'servers', 'problems']);
    expect(catalog.servers).toEqual(appCatalog.servers);
    expect(listed.stderr).toContain(`through the Portcullis running on this data folder (pid ${host.process.pid})`);
    expect(listed.stderr).not.toContain('second copy');

    const echo = await runCli('tools', 'call', 'counted.echo', '--args', '{"message":"via the app"}', '--json', '--data-dir', dataDir);
    expect(echo.code).toBe(0);
    const outcome = JSON.parse(echo.stdout) as Record<string, any>;
    expect(outcome).toMatchObject({ outcome: 'ok', status: 'succeeded', decision: { effect: 'allow' }, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(JSON.stringify(outcome.result)).toContain('via the app');
    expect(countedStarts(mark)).toBe(1);
    // Recorded by the app, as the terminal's own call is recorded alone (not as a local API key's).
    const conversations = await callHost<Array<{ id: string; title: string }>>(host, 'conversations.list');
    expect(conversations).toHaveLength(1);
    expect(conversations[0]!.title).toMatch(/^(Terminal|Direct call: counted\.echo)/);
    // In words too, with the trace to read.
    const said = await runCli('tools', 'call', 'counted.echo', '--args', '{"message":"words"}', '--data-dir', dataDir);
    expect(said.stdout).toMatch(/^\[counted\.echo\] allow → succeeded\n[\s\S]*words[\s\S]*\(trace [0-9a-f]{32}\)\n$/);
    // A typo is answered as alone: nothing called or recorded, the tool it likely meant.
    const typo = await runCli('tools', 'call', 'counted.ecoh', '--json', '--data-dir', dataDir);
    expect(typo.code).toBe(1);
    expect(JSON.parse(typo.stdout)).toMatchObject({ outcome: 'error', status: 'failed', error: { code: 'TOOL_NOT_FOUND', message: expect.stringContaining('Did you mean counted.echo?') } });
    expect(JSON.parse(typo.stdout)).not.toHaveProperty('traceId');
  }, 90_000);

  it('--approve none denies without asking, ask waits for the answer in the app, all is refused (exit 2, nothing called)', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const write = (approve: string) => runCli('tools', 'call', 'fs.write', '--args', '{"path":"a.txt","content":"hello"}', '--approve', approve, '--json', '--data-dir', dataDir);

    const none = await write('none');
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ outcome: 'denied', status: 'denied', decision: { effect: 'ask' }, approval: 'denied', error: { code: 'APPROVAL_REJECTED' } });
    expect(await callHost(host, 'approvals.pending')).toEqual([]);

    const all = await write('all');
    expect(all).toMatchObject({ code: 2, stdout: '' });
    expect(all.stderr).toContain(`Portcullis is running on this data folder (pid ${host.process.pid}), and this call goes through it: its approvals are the person's`);

    const asked = write('ask');
    const pending = await pollUntil(() => callHost<Array<{ id: string; toolName: string; requestedBy?: string }>>(host!, 'approvals.pending'), (list) => list.length > 0);
    expect(pending).toMatchObject([{ toolName: 'fs.write', requestedBy: 'Terminal' }]);
    await callHost(host, 'approvals.decide', { approvalId: pending[0]!.id, choice: 'allow_once' });
    const allowed = await asked;
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ outcome: 'ok', approval: 'approved' });
    expect(readFileSync(join(dataDir, 'workspace', 'a.txt'), 'utf8')).toBe('hello');
  }, 90_000);

  it('reaches the app with a token only the folder\'s owner can read, removed when it stops; alone, ask is refused and list starts its own servers', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const file = terminalAccessFile(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { token } = JSON.parse(readFileSync(file, 'utf8')) as { token: string };
    expect(host.log()).not.toContain(token);
    await stopHost(host);
    host = undefined;
    expect(existsSync(file)).toBe(false);

    // A crash leaves the file behind; its token is sent nowhere once no process owns the folder.
    host = await startHost(dataDir);
    await stopHost(host, 'SIGKILL');
    host = undefined;
    expect(existsSync(file)).toBe(true);
    const afterCrash = await runCli('tools', 'call', 'fs.list', '--json', '--data-dir', dataDir);
    expect(afterCrash.code).toBe(0);
    expect(afterCrash.stderr).not.toContain('through the Portcullis running');

    const ask = await runCli('tools', 'call', 'fs.list', '--approve', 'ask', '--data-dir', dataDir);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('No Portcullis is running on this data folder to ask in');
    const listed = await runCli('tools', 'list', '--json', '--data-dir', dataDir);
    expect(listed).toMatchObject({ code: 0 });
    expect(listed.stderr).not.toContain('through the Portcullis running');
  }, 60_000);
});
