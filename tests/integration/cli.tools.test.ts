import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { cliBin, repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

async function tools(args: string[]) {
  try {
    const { stdout } = await run(process.execPath, [cliBin, 'tools', ...args]);
    return { code: 0, output: JSON.parse(stdout.trim()) as Record<string, any>, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout.trim() ? (JSON.parse(failed.stdout.trim()) as Record<string, any>) : null, stderr: failed.stderr };
  }
}

describe('portcullis tools', () => {
  it('list --json shows built-in and MCP tools with server, annotations and sandbox status, and each server', async () => {
    const dataDir = tempDir();
    const sandbox = { allowWrite: ['notes'], allowedDomains: ['api.example.com'] };
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), sandbox, trustedOutput: true }, loose: { command: mcpBin('everything'), sandbox: false, trustedOutput: true }, off: { command: 'nope', enabled: false } });
    const { code, output } = await tools(['list', '--json', '--data-dir', dataDir]);
    expect(code).toBe(0);
    const byName = new Map((output!.tools as Array<Record<string, any>>).map((t) => [t.name, t]));
    expect(byName.get('fs.read')).toMatchObject({ server: null, sandboxed: true, annotations: { readOnlyHint: true } });
    // Granted a domain, it can reach outside: not offline.
    expect(byName.get('everything.echo')).toMatchObject({ server: 'everything', sandboxed: true, offline: false, annotations: { readOnlyHint: true } });
    expect(byName.get('loose.echo')).toMatchObject({ server: 'loose', sandboxed: false, offline: false });
    expect(output!.servers).toEqual([
      // Its "trustedOutput" is not used either: granted a domain, it may pass on text from there.
      expect.objectContaining({ name: 'everything', state: 'connected', transport: 'stdio', breaker: 'closed', sandboxed: true, outputTrusted: false, outputTrustNote: expect.stringMatching(/^"trustedOutput" is not used while everything may reach api\.example\.com/) }),
      // Its "trustedOutput" is not used: unsandboxed, its words could come from anywhere.
      expect.objectContaining({ name: 'loose', state: 'connected', sandboxed: false, sandboxNote: expect.stringMatching(/turned off/), sandboxGrants: null, outputTrusted: false, outputTrustNote: expect.stringMatching(/^"trustedOutput" is not used: loose runs outside/) }),
      expect.objectContaining({ name: 'off', state: 'disabled', enabled: false }),
    ]);
    // What the sandboxed one may do, as its launch applied it: the grants resolved, its limits.
    expect(output!.servers[0].sandboxGrants).toMatchObject({ writable: [join(dataDir, 'workspace', 'notes')], packageCache: null, domains: ['api.example.com'], offline: false, memoryMb: 4096, cpuSeconds: 600 });
  }, 60_000);

  it('list counts a server of one tool in the singular', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { one: { command: process.execPath, args: [join(repoRoot, 'tests', 'fixtures', 'mcp', 'npx-package', 'server.js')] } });
    const { stdout } = await run(process.execPath, [cliBin, 'tools', 'list', '--data-dir', dataDir]);
    expect(stdout).toContain('server one: connected, 1 tool, breaker closed');
    // Under it, what its sandbox lets it do, as its row on the Tools & servers page says (--json alone said it).
    expect(stdout).toMatch(/server one: connected, 1 tool, breaker closed\n {2}sandbox: reads the system, the workspace[^\n]*; writes nothing of yours; network none; limits [^\n]+\n/);
  }, 60_000);

  it('call runs one call through policy and approval and prints the outcome and the trace id', async () => {
    const dataDir = tempDir();
    // The graph's file lives in the workspace: a grant into the data folder itself would be refused.
    mkdirSync(join(dataDir, 'workspace', 'graph'), { recursive: true });
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') }, graph: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: join(dataDir, 'workspace', 'graph', 'm.jsonl') }, sandbox: { allowWrite: ['graph'] } } });
    const echo = await tools(['call', 'everything.echo', '--args', '{"message":"from the shell"}', '--json', '--data-dir', dataDir]);
    expect(echo.code).toBe(0);
    expect(echo.output).toMatchObject({ status: 'succeeded', decision: { effect: 'allow' }, untrusted: true, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(JSON.stringify(echo.output!.result)).toContain('from the shell');

    const entity = '{"entities":[{"name":"Grace","entityType":"person","observations":["COBOL"]}]}';
    const denied = await tools(['call', 'graph.create_entities', '--args', entity, '--approve', 'none', '--json', '--data-dir', dataDir]);
    expect(denied.code).toBe(1);
    expect(denied.output).toMatchObject({ status: 'denied', decision: { effect: 'ask' }, approval: 'denied', error: { code: 'APPROVAL_REJECTED' } });
    const approved = await tools(['call', 'graph.create_entities', '--args', entity, '--approve', 'all', '--json', '--data-dir', dataDir]);
    expect(approved.output).toMatchObject({ status: 'succeeded', approval: 'approved' });

    const workspace = join(dataDir, 'workspace');
    writeFileSync(join(workspace, 'a.txt'), 'alpha');
    const builtin = await tools(['call', 'fs.read', '--args', '{"path":"a.txt"}', '--json', '--data-dir', dataDir]);
    expect(builtin.output).toMatchObject({ status: 'succeeded' });
    expect(JSON.stringify(builtin.output!.result)).toContain('alpha');
  }, 90_000); // four CLI processes, each starting two sandboxed servers

  it('on a closed server marked "trustedOutput": list --json names the tools it skips, and call --json does not call a result untrusted', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), trustedOutput: true } });
    const { output } = await tools(['list', '--json', '--data-dir', dataDir]);
    expect(output!.servers).toEqual([
      expect.objectContaining({ name: 'everything', sandboxed: true, outputTrusted: true, outputTrustNote: expect.stringMatching(/^"trustedOutput" is not used for gzip-file-as-resource, trigger-sampling-request: they say they reach outside/) }),
    ]);
    const echo = await tools(['call', 'everything.echo', '--args', '{"message":"mine"}', '--json', '--data-dir', dataDir]);
    expect(echo.output).toMatchObject({ status: 'succeeded' });
    expect(echo.output).not.toHaveProperty('untrusted');
    const fetched = await tools(['call', 'everything.echo', '--args', '{"message":"https://evil.example.com/issue"}', '--json', '--data-dir', dataDir]);
    expect(fetched.output).toMatchObject({ status: 'succeeded', untrusted: true });
  }, 90_000); // three CLI processes, each starting a sandboxed server (12-13 s each on a loaded 2-core machine)

  it('call masks a credential in what it prints, as the stored call and its trace are masked', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'key.txt'), 'token sk-proj-abcdefghijklmnop1234567890');
    const read = await tools(['call', 'fs.read', '--args', '{"path":"key.txt"}', '--json', '--data-dir', dataDir]);
    expect(read.output).toMatchObject({ status: 'succeeded' });
    expect(JSON.stringify(read.output!.result)).toContain('token [REDACTED:');
    expect(JSON.stringify(read.output)).not.toContain('abcdefghijklmnop1234567890');
  }, 30_000);

  it('call starts only the server its tool comes from (a copy of every server beside a running app may fail on a lock or a port); list starts them all', async () => {
    const dataDir = tempDir();
    const marker = join(dataDir, 'other-server-started');
    // A "server" that only leaves a mark that it was started.
    const other = { command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`], sandbox: false, maxRetries: 0 };
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') }, other });
    const echo = await tools(['call', 'everything.echo', '--args', '{"message":"only me"}', '--json', '--data-dir', dataDir]);
    expect(echo.output).toMatchObject({ status: 'succeeded' });
    expect((await tools(['call', 'fs.list', '--json', '--data-dir', dataDir])).output).toMatchObject({ status: 'succeeded' });
    expect(existsSync(marker)).toBe(false);
    await tools(['list', '--json', '--data-dir', dataDir]);
    expect(existsSync(marker)).toBe(true);
  }, 90_000); // three CLI processes, each starting a sandboxed server

  it('call of a mistyped name suggests among every tool, MCP ones included, and records nothing', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') } });
    // "everythin" names no server: the built-ins alone would have no answer for it.
    const typo = await tools(['call', 'everythin.echo', '--json', '--data-dir', dataDir]);
    expect(typo.code).toBe(1);
    expect(typo.output).toMatchObject({ status: 'failed', error: { code: 'TOOL_NOT_FOUND', message: expect.stringMatching(/^There is no tool named "everythin\.echo"\. Did you mean everything\.echo\?/) } });
    const builtIn = await tools(['call', 'fs.raed', '--json', '--data-dir', dataDir]);
    expect(builtIn.output!.error.message).toMatch(/Did you mean fs\.read\? Available tools: .*everything\.echo/);
    const listed = await run(process.execPath, [cliBin, 'conversations', 'list', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.stdout)).toEqual({ conversations: [] });
  }, 60_000);

  it('reports bad input clearly: invalid JSON, unknown tool, wrong arguments', async () => {
    const dataDir = tempDir();
    const badJson = await tools(['call', 'fs.read', '--args', '{oops', '--data-dir', dataDir]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/--args must be JSON/);
    // The usage that follows says what each exit code means, as a script checks it.
    expect(badJson.stderr).toContain('Exits 0 when the call succeeded, 1 when it was denied or failed (--json: "outcome" says which), 2 for a mistake');
    // JSON that is not an object (a quoted string was said to be "not JSON") is the command's mistake too.
    for (const notAnObject of ['"x"', '[1]', 'null']) {
      const refused = await tools(['call', 'fs.list', '--args', notAnObject, '--json', '--data-dir', dataDir]);
      expect(refused, notAnObject).toMatchObject({ code: 2, output: null });
      expect(refused.stderr).toContain(`--args must be a JSON object, e.g. '{"path":"."}', not ${notAnObject}.`);
    }
    const unknown = await tools(['call', 'nope.tool', '--json', '--data-dir', dataDir]);
    expect(unknown).toMatchObject({ code: 1, output: { status: 'failed', error: { code: 'TOOL_NOT_FOUND' } } });
    // A typo is answered with the tool it most likely meant, before the list of all of them.
    const typo = await tools(['call', 'fs.raed', '--json', '--data-dir', dataDir]);
    expect(typo.output).toMatchObject({ status: 'failed', error: { code: 'TOOL_NOT_FOUND', message: expect.stringMatching(/^There is no tool named "fs\.raed"\. Did you mean fs\.read\? Available tools: fs\.list, /) } });
    const wrong = await tools(['call', 'fs.read', '--args', '{"path":3}', '--json', '--data-dir', dataDir]);
    expect(wrong.output).toMatchObject({ status: 'failed', error: { code: 'TOOL_ARGUMENTS_INVALID' } });
    // In words, a call stopped before the policy is not called "invalid" (its server may just be down).
    const said = await run(process.execPath, [cliBin, 'tools', 'call', 'nope.tool', '--data-dir', dataDir]).catch((error: { stdout: string }) => error);
    expect(said.stdout).toMatch(/^\[nope\.tool\] not judged → failed: There is no tool named "nope\.tool"/);
  }, 60_000); // five CLI processes, each starting the app (seconds each on a busy machine)
});
