import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const runtimeScript = join(repoRoot, 'tests', 'fixtures', 'runtime', 'open-fds-runtime.ts');
const sandboxHere = process.platform === 'linux' && SandboxManager.isSupportedPlatform() && SandboxManager.checkDependencies().errors.length === 0;

interface Seen {
  extraFd: string;
  servers: Record<string, { sandboxed: boolean | null; error: string | null; fds: { own: string[]; inherited: string[] } | null }>;
}

/**
 * Node marks the fds it inherited up to 15 close-on-exec at its start (libuv's uv_disable_stdio_inheritance), so a
 * launcher's fd is handed on past that: fd 20 here, as the CI runner's pipe on fd 251 this was found with.
 */
const EXTRA_FD = 20;

/** Runs the runtime in a process started with EXTRA_FD open on a socket of this one (not close-on-exec there). */
function runWithExtraFd(dataDir: string, workspace: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runtimeScript, dataDir, workspace, String(EXTRA_FD)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe', ...Array<'ignore'>(EXTRA_FD - 3).fill('ignore'), 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as Seen);
      } catch {
        reject(new Error(`the runtime exited with ${code}:\n${out}\n${err}`));
      }
    });
  });
}

describe('A sandboxed MCP server holds no fd Portcullis inherited', () => {
  it.skipIf(!sandboxHere)("gets stdin, stdout and stderr alone, never its launcher's pipe; an unsandboxed server is as before", async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };
    writeMcpConfig(dataDir, { jailed: server, loose: { ...server, sandbox: false } });

    const seen = await runWithExtraFd(dataDir, workspace);
    expect(seen.extraFd).toMatch(/^(pipe|socket):\[\d+\]$/);
    const jailed = seen.servers['jailed']!;
    expect(jailed, jailed.error ?? '').toMatchObject({ sandboxed: true });
    // What a program it starts is handed: stdio alone (its stdin/stdout are the MCP pipes, stderr the log's).
    expect(jailed.fds!.inherited.map((line) => line.split(' ')[0])).toEqual(['0', '1', '2']);
    // Nor does the server itself hold the pipe under any number.
    expect(jailed.fds!.own.filter((line) => line.endsWith(` ${seen.extraFd}`))).toEqual([]);
    // The control: unsandboxed, the server is started as before, and libuv hands the pipe on.
    const loose = seen.servers['loose']!;
    expect(loose).toMatchObject({ sandboxed: false });
    expect(loose.fds!.inherited).toContain(`${EXTRA_FD} ${seen.extraFd}`);
  }, 120_000);
});
