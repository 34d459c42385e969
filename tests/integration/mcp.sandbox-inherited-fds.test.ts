import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { EXTRA_FD, runWithExtraFd } from '../helpers/run-with-extra-fd';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const runtimeScript = join(repoRoot, 'tests', 'fixtures', 'runtime', 'open-fds-runtime.ts');
const sandboxHere = process.platform === 'linux' && SandboxManager.isSupportedPlatform() && SandboxManager.checkDependencies().errors.length === 0;

interface Seen {
  extraFd: string;
  servers: Record<string, { sandboxed: boolean | null; error: string | null; fds: { own: string[]; inherited: string[] } | null }>;
}

describe('A sandboxed MCP server holds no fd Portcullis inherited', () => {
  it.skipIf(!sandboxHere)("gets stdin, stdout and stderr alone, never its launcher's pipe; an unsandboxed server is as before", async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };
    writeMcpConfig(dataDir, { jailed: server, loose: { ...server, sandbox: false } });

    const seen = await runWithExtraFd<Seen>(runtimeScript, [dataDir, workspace, String(EXTRA_FD)]);
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
