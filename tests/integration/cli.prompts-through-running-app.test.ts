import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { tempDir } from '../helpers/temp-dir';
import { terminalAccessFile } from '../../src/core/runtime/terminal-access';
import { runCli } from '../helpers/cli-process';
import { countedServer, countedStarts } from '../helpers/counted-server';
import { pollUntil } from '../helpers/poll-until';

/** The token the running app wrote for `portcullis` commands. */
const terminalToken = (dataDir: string): string => (JSON.parse(readFileSync(terminalAccessFile(dataDir), 'utf8')) as { token: string }).token;

describe('prompts and resources beside a running Portcullis go through it', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('lists and gets the running app\'s prompts and resources, as alone, with no second copy of its server', async () => {
    const dataDir = tempDir();
    const mark = countedServer(dataDir);
    host = await startHost(dataDir);
    await pollUntil(() => callHost<{ servers: Array<{ state: string }> }>(host!, 'tools.catalog'), (c) => c.servers[0]?.state === 'connected');
    const through = `through the Portcullis running on this data folder (pid ${host.process.pid})`;

    const prompts = await runCli('prompts', 'list', '--json', '--data-dir', dataDir);
    expect(prompts.code).toBe(0);
    expect(prompts.stderr).toContain(through);
    const listed = JSON.parse(prompts.stdout) as Record<string, any>;
    expect(Object.keys(listed)).toEqual(['prompts', 'problems']);
    expect(listed).toEqual(await callHost(host, 'prompts.list'));
    expect(listed.prompts).toContainEqual(expect.objectContaining({ server: 'counted', name: 'args-prompt' }));
    expect((await runCli('prompts', 'list', '--data-dir', dataDir)).stdout).toContain('counted args-prompt city [state]  A prompt with two arguments');
    expect(await runCli('prompts', 'get', 'counted', 'args-prompt', '--args', '{"city":"Lyon"}', '--data-dir', dataDir)).toMatchObject({ code: 0, stdout: "What's weather in Lyon?\n" });
    expect(JSON.parse((await runCli('prompts', 'get', 'counted', 'args-prompt', '--args', '{"city":"Lyon"}', '--json', '--data-dir', dataDir)).stdout)).toEqual({ server: 'counted', name: 'args-prompt', text: "What's weather in Lyon?" });

    const uri = 'demo://resource/static/document/architecture.md';
    const resources = await runCli('resources', 'list', '--json', '--data-dir', dataDir);
    expect(resources.code).toBe(0);
    expect(resources.stderr).toContain(through);
    const offered = JSON.parse(resources.stdout) as Record<string, any>;
    expect(Object.keys(offered)).toEqual(['resources', 'problems']);
    expect(offered.resources).toContainEqual(expect.objectContaining({ server: 'counted', uri, name: 'architecture.md' }));
    // Decided by the app's policy as the server's read_resource call (read-only, sandboxed: runs unasked).
    const read = await runCli('resources', 'read', 'counted', uri, '--data-dir', dataDir);
    expect(read).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\[resource demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown\)\]\n# Everything Server/) });
    const refused = await runCli('resources', 'read', 'counted', 'demo://nowhere', '--json', '--data-dir', dataDir);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ server: 'counted', uri: 'demo://nowhere', error: { code: 'TOOL_FAILED', message: expect.stringContaining('could not give its resource demo://nowhere') } });

    // Every answer came from the app's one copy of the server.
    expect(countedStarts(mark)).toBe(1);
  }, 90_000);

  it('reads a resource, and a prompt that embeds one, as alone: the terminal reads as the person\'s own command, where a key waits on the policy', async () => {
    const dataDir = tempDir();
    // Not sandboxed: the policy asks before its read_resource runs, so a script's direct read is refused.
    writeMcpConfig(dataDir, { loose: { command: mcpBin('everything'), sandbox: false } });
    const uri = 'demo://resource/dynamic/text/1';
    const alone = await runCli('resources', 'read', 'loose', uri, '--data-dir', dataDir);
    expect(alone).toMatchObject({ code: 0, stdout: expect.stringContaining('Resource 1:') });
    host = await startHost(dataDir);
    await pollUntil(() => callHost<{ servers: Array<{ state: string }> }>(host!, 'tools.catalog'), (c) => c.servers[0]?.state === 'connected');

    const read = await runCli('resources', 'read', 'loose', uri, '--data-dir', dataDir);
    expect(read).toMatchObject({ code: 0, stdout: expect.stringContaining('Resource 1:') });
    expect(read.stderr).toContain('through the Portcullis running on this data folder');
    const prompt = await runCli('prompts', 'get', 'loose', 'resource-prompt', '--args', '{"resourceType":"Text","resourceId":"1"}', '--data-dir', dataDir);
    expect(prompt).toMatchObject({ code: 0, stdout: expect.stringContaining('[resource demo://resource/dynamic/text/1 (text/plain)]') });
    // It reads; it still approves nothing.
    expect(await fetch(`http://127.0.0.1:${host.port}/api/approvals.pending`, { method: 'POST', headers: { authorization: `Bearer ${terminalToken(dataDir)}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)).toBe(403);
  }, 90_000);
});
