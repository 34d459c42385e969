import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliBin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The everything server, sandboxed, leaving a line in the returned file each time a process starts it. */
function countedServer(dataDir: string): string {
  const marks = join(dataDir, 'workspace', 'marks');
  mkdirSync(marks, { recursive: true });
  const mark = join(marks, 'starts');
  const wrapper = join(tempDir(), 'counted.cjs');
  writeFileSync(wrapper, `require('fs').appendFileSync(${JSON.stringify(mark)}, 'started\\n'); import(require('fs').realpathSync(${JSON.stringify(mcpBin('everything'))}));\n`);
  writeMcpConfig(dataDir, { counted: { command: process.execPath, args: [wrapper], sandbox: { allowWrite: ['marks'] } } });
  return mark;
}

const starts = (mark: string): number => (existsSync(mark) ? readFileSync(mark, 'utf8').split('\n').filter(Boolean).length : 0);

describe('portcullis chat beside a running Portcullis', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('runs its turn in its own process and says so on stderr: a second copy of each server, approvals decided by --approve, not asked in the app', async () => {
    const dataDir = tempDir();
    const mark = countedServer(dataDir);
    host = await startHost(dataDir);
    for (let i = 0; i < 200 && starts(mark) < 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));

    const said = await cli('chat', '--json', '--data-dir', dataDir, 'counted.echo {"message":"beside"}');
    expect(said.code).toBe(0);
    // --json stays whole, as alone.
    const output = JSON.parse(said.stdout) as Record<string, any>;
    expect(output).toMatchObject({ toolCalls: [{ tool: 'counted.echo', status: 'succeeded' }], error: null });
    expect(said.stderr).toContain(`Portcullis is running on this data folder (pid ${host.process.pid}), but chat runs its turn here, in this process, not in it`);
    expect(said.stderr).toContain('denied by --approve none here, not asked in that one\'s window');
    expect(said.stderr).not.toContain('serves no way in');
    // What the note says: a second copy of the server was started, and the app shows the conversation.
    expect(starts(mark)).toBe(2);
    expect((await callHost<Array<{ id: string }>>(host, 'conversations.list')).map((c) => c.id)).toContain(output.conversationId);
    // A write the policy asks about is denied here, and nothing waits in the app.
    const write = await cli('chat', '--json', '--data-dir', dataDir, 'fs.write {"path":"a.txt","content":"x"}');
    expect(JSON.parse(write.stdout)).toMatchObject({ toolCalls: [{ tool: 'fs.write', approval: 'denied', status: 'denied' }] });
    expect(await callHost(host, 'approvals.pending')).toEqual([]);
  }, 90_000);
});
