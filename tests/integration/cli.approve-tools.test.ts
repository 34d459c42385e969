import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { runCli } from '../helpers/cli-process';
import { tempDir } from '../helpers/temp-dir';

describe('--approve with a list of tools: those approved, the others denied unasked', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('tools call alone: a listed tool\'s asking call runs, another\'s is denied, and the trace says which list decided', async () => {
    const dataDir = tempDir();
    const write = (approve: string, file: string) => runCli('tools', 'call', 'fs.write', '--args', JSON.stringify({ path: file, content: 'hello' }), '--approve', approve, '--json', '--data-dir', dataDir);

    const approved = await write('fs.read,fs.w*', 'a.txt');
    expect(approved.code).toBe(0);
    // Who approved it is in the outcome: the script's list, not the person.
    expect(JSON.parse(approved.stdout)).toMatchObject({ outcome: 'ok', decision: { effect: 'ask' }, approval: 'approved', decidedBy: 'script: --approve fs.read,fs.w*' });
    expect(readFileSync(join(dataDir, 'workspace', 'a.txt'), 'utf8')).toBe('hello');
    const traced = await runCli('traces', 'show', (JSON.parse(approved.stdout) as { traceId: string }).traceId, '--data-dir', dataDir);
    expect(traced.stdout).toContain('script: --approve fs.read,fs.w*');

    const denied = await write('fs.read,memory.*', 'b.txt');
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({
      outcome: 'denied',
      approval: 'denied',
      decidedBy: 'script: --approve fs.read,memory.*',
      error: { code: 'APPROVAL_REJECTED', message: expect.stringContaining('fs.write matches none of its tools; add it to the list to let such calls run') },
    });
    expect(existsSync(join(dataDir, 'workspace', 'b.txt'))).toBe(false);
  }, 60_000);

  it('chat alone: the turn\'s listed calls run', async () => {
    const dataDir = tempDir();
    const turn = await runCli('chat', '--json', '--approve', 'fs.write', '--data-dir', dataDir, 'fs.write {"path":"c.txt","content":"hi"}');
    expect(turn.code).toBe(0);
    expect(JSON.parse(turn.stdout)).toMatchObject({ toolCalls: [{ tool: 'fs.write', approval: 'approved', status: 'succeeded' }], error: null });
    expect(readFileSync(join(dataDir, 'workspace', 'c.txt'), 'utf8')).toBe('hi');
  }, 60_000);

  it('a mistake in the list is exit 2 with what is wrong, before anything runs', async () => {
    const dataDir = tempDir();
    for (const [said, words] of [
      ['', 'has an empty tool name or glob'],
      ['fs.write,', 'has an empty tool name or glob'],
      ['fs.write fs.read', 'which no tool name or glob holds'],
      ['alll', '"alll" is none of those'],
    ] as const) {
      for (const command of [['tools', 'call', 'fs.write', '--args', '{"path":"d.txt","content":"x"}'], ['chat', 'fs.write {"path":"d.txt","content":"x"}']]) {
        const result = await runCli(...command, '--approve', said, '--data-dir', dataDir);
        expect([said, result.code, result.stdout]).toEqual([said, 2, '']);
        expect(result.stderr).toContain(words);
      }
    }
    expect(existsSync(join(dataDir, 'workspace', 'd.txt'))).toBe(false);
  }, 60_000);

  it('beside a running Portcullis a list is refused as all is: its approvals are the person\'s (exit 2, nothing called or sent)', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const call = await runCli('tools', 'call', 'fs.write', '--args', '{"path":"e.txt","content":"x"}', '--approve', 'fs.write', '--data-dir', dataDir);
    expect(call).toMatchObject({ code: 2, stdout: '' });
    expect(call.stderr).toContain(`Portcullis is running on this data folder (pid ${host.process.pid}), and this call goes through it: its approvals are the person's, in its window, not a command's to give.`);
    expect(call.stderr).toContain('--approve "fs.write" approves only where no Portcullis runs on the folder.');
    const turn = await runCli('chat', '--approve', 'fs.*', '--data-dir', dataDir, 'fs.write {"path":"e.txt","content":"x"}');
    expect(turn).toMatchObject({ code: 2, stdout: '' });
    expect(turn.stderr).toContain('and this turn runs in it: its approvals are the person\'s');
    expect(turn.stderr).toContain('--approve "fs.*" approves only where no Portcullis runs on the folder.');
    expect(await callHost(host, 'conversations.list')).toEqual([]);
    expect(existsSync(join(dataDir, 'workspace', 'e.txt'))).toBe(false);
  }, 60_000);
});
