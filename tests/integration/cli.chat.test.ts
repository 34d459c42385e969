import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

async function chat(args: string[]) {
  try {
    const { stdout } = await run(process.execPath, [cliBin, 'chat', '--json', ...args]);
    return { code: 0, output: JSON.parse(stdout.trim()) as Record<string, any> };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout ? (JSON.parse(failed.stdout.trim()) as Record<string, any>) : null, stderr: failed.stderr };
  }
}

describe('portcullis chat --json', () => {
  it('lists the workspace and prints one JSON object with calls, decisions and the trace id', async () => {
    const dataDir = tempDir();
    const workspace = tempDir();
    writeFileSync(join(workspace, 'report.md'), '# Q3');
    const { code, output } = await chat(['--data-dir', dataDir, '--workspace', workspace, 'list the files']);
    expect(code).toBe(0);
    expect(output).toMatchObject({
      reply: expect.stringContaining('report.md'),
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      toolCalls: [{ tool: 'fs.list', arguments: { path: '.' }, decision: { effect: 'allow' }, status: 'succeeded' }],
      error: null,
    });
  });

  it('--approve none denies a write; --approve all performs it', async () => {
    const dataDir = tempDir();
    const workspace = tempDir();
    const denied = await chat(['--data-dir', dataDir, '--workspace', workspace, '--approve', 'none', 'write out.txt with data']);
    expect(denied.output).toMatchObject({ toolCalls: [{ tool: 'fs.write', decision: { effect: 'ask' }, approval: 'denied', status: 'denied' }] });
    // The reply says how to let it run.
    expect(denied.output?.reply).toContain('pass --approve all to let such calls run');
    expect(existsSync(join(workspace, 'out.txt'))).toBe(false);
    const approved = await chat(['--data-dir', dataDir, '--workspace', workspace, '--approve', 'all', 'write out.txt with data']);
    expect(approved.output).toMatchObject({ toolCalls: [{ approval: 'approved', status: 'succeeded' }] });
    expect(readFileSync(join(workspace, 'out.txt'), 'utf8')).toBe('data');
  });

  it("with no model installed, an MCP server's tool is called by its name and JSON arguments, under the same policy", async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') } });
    const echo = await chat(['--data-dir', dataDir, 'everything.echo {"message": "hi <there>"}']);
    expect(echo.output).toMatchObject({
      toolCalls: [{ tool: 'everything.echo', arguments: { message: 'hi <there>' }, decision: { effect: 'allow' }, status: 'succeeded' }],
      reply: 'everything.echo returned this, which Portcullis treats as untrusted:\n\n```\nEcho: hi <there>\n```',
    });
    // A tool that declares nothing counts as mutating: it asks, and --approve none (the default) denies it.
    const toggle = await chat(['--data-dir', dataDir, 'everything.toggle-simulated-logging']);
    expect(toggle.output).toMatchObject({ toolCalls: [{ tool: 'everything.toggle-simulated-logging', decision: { effect: 'ask' }, status: 'denied' }] });
    const broken = await chat(['--data-dir', dataDir, 'everything.echo {"message": }']);
    expect(broken.output).toMatchObject({ toolCalls: [], reply: expect.stringContaining('The arguments after everything.echo are not valid JSON') });
  }, 30_000);

  it('a built-in tool named with JSON arguments is routed to that tool; an unknown name is said, not guessed at', async () => {
    const dataDir = tempDir();
    // The classifier alone reads these as "write a file named memory.search / fs.delete".
    const search = await chat(['--data-dir', dataDir, '--approve', 'all', 'memory.search {"query": "dentist"}']);
    expect(search.output).toMatchObject({ toolCalls: [{ tool: 'memory.search', arguments: { query: 'dentist' }, status: 'succeeded' }] });
    const deleted = await chat(['--data-dir', dataDir, '--approve', 'all', 'fs.delete {"path": "a.txt"}']);
    expect(deleted.output).toMatchObject({ toolCalls: [{ tool: 'fs.delete', status: 'failed' }], reply: expect.stringContaining('There is no file or folder "a.txt" in the workspace.') });
    const unknown = await chat(['--data-dir', dataDir, '--approve', 'all', 'fs.move {"path": "a.txt"}']);
    expect(unknown.output).toMatchObject({ toolCalls: [], reply: expect.stringContaining('There is no tool named fs.move here') });
  }, 30_000);

  it('ends quietly when whoever reads its output has gone (| head)', async () => {
    const child = spawn(process.execPath, [cliBin, 'chat', '--data-dir', tempDir(), 'list the files'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  }, 30_000);

  it('explains a usage mistake with exit code 2', async () => {
    const result = await chat(['--approve', 'maybe', 'list files']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--approve takes all, none, ask, or tool names and globs as `portcullis tools list` shows them (server.tool); "maybe" is none of those.');
  });
});
