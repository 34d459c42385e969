import { spawn, spawnSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { cliBin } from '../helpers/paths';
import { freePort } from '../helpers/free-port';
import { restartableHost } from '../helpers/restartable-host';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/** A client that only starts stdio servers (as Claude Desktop does) running `portcullis mcp` with these env and args. */
async function stdioClient(env: Record<string, string>, args: string[]) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [cliBin, 'mcp', ...args], env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'pipe' });
  const client = new Client({ name: 'Claude Desktop', version: '1.0.0' });
  await client.connect(transport);
  onTestFinished(() => client.close());
  return client;
}

describe('portcullis mcp: the /mcp endpoint for a client that only starts stdio servers (the built CLI over real stdio)', () => {
  it('relays the session: tools, calls that wait for the person, the tools it picks', async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const key = t.runtime.apiKeys.create({ name: 'Claude Desktop', scopes: ['tools'] }).key;
    const client = await stdioClient({ PORTCULLIS_API_KEY: key }, ['--port', String(server.port)]);
    expect(client.getServerVersion()).toMatchObject({ name: 'portcullis' });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['fs_read', 'fs_write']));
    // A call that asks waits for the person on Portcullis' page, in a conversation named by the client.
    const call = client.callTool({ name: 'fs_write', arguments: { path: 'from-desktop.txt', content: 'hi' } });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    expect((await t.runtime.handlers['conversations.list']({})).find((c) => c.id === request!.conversationId)?.title).toMatch(/^Claude Desktop · MCP · \d{1,2} \w{3}$/);
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_once' });
    expect(resultText(await call)).toContain('"bytesWritten": 2');

    const picked = await stdioClient({ PORTCULLIS_API_KEY: key }, ['--port', String(server.port), '--tools', 'fs.read']);
    expect((await picked.listTools()).tools.map((tool) => tool.name)).toEqual(['fs_read']);
  }, 60_000);

  it('relays what a client sends right behind its initialize, before the answer came back, into the session it opens', async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const key = t.runtime.apiKeys.create({ name: 'pipelining client', scopes: ['tools'] }).key;
    const relay = spawn(process.execPath, [cliBin, 'mcp', '--port', String(server.port)], { env: { PATH: process.env.PATH ?? '', PORTCULLIS_API_KEY: key } });
    onTestFinished(() => void relay.kill());
    const answers: { id?: number; result?: unknown; error?: { message: string } }[] = [];
    let pending = '';
    relay.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.trim()) answers.push(JSON.parse(line) as (typeof answers)[number]);
    });
    // All at once, as a shell script or a hasty client writes them: the session id exists only once initialize is answered.
    relay.stdin.write(
      [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'hasty', version: '1' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      ].map((message) => `${JSON.stringify(message)}\n`).join(''),
    );
    await until('both answers', () => answers.filter((a) => a.id !== undefined).length, (n) => n >= 2);
    expect(answers.find((a) => a.id === 2)).toMatchObject({ result: { tools: expect.arrayContaining([expect.objectContaining({ name: 'fs_read' })]) } });
    expect(answers.filter((a) => a.error)).toEqual([]);
  }, 60_000);

  it('answers what a client sent before closing its input (a pipe that ends at once), and says so of what waited too long', async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const key = t.runtime.apiKeys.create({ name: 'piped client', scopes: ['tools'] }).key;
    const relay = spawn(process.execPath, [cliBin, 'mcp', '--port', String(server.port)], { env: { PATH: process.env.PATH ?? '', PORTCULLIS_API_KEY: key } });
    onTestFinished(() => void relay.kill());
    let stdout = '';
    let stderr = '';
    relay.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    relay.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => relay.once('exit', resolve));
    const started = Date.now();
    // As \`echo '…' | portcullis mcp\` feeds it: every request, then the end of the input.
    relay.stdin.end(
      [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'piped', version: '1' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        // Asks the person, who does not answer: withdrawn when the relay's wait runs out.
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'fs_write', arguments: { path: 'piped.txt', content: 'hi' } } },
      ].map((message) => `${JSON.stringify(message)}\n`).join(''),
    );
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    const answers = stdout.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as { id?: number; result?: unknown; error?: { message: string } });
    expect(answers.find((a) => a.id === 1)).toMatchObject({ result: { serverInfo: { name: 'portcullis' } } });
    expect(answers.find((a) => a.id === 2)).toMatchObject({ result: { tools: expect.arrayContaining([expect.objectContaining({ name: 'fs_read' })]) } });
    expect(answers.find((a) => a.id === 3)?.error?.message).toMatch(/^The client closed its input, and Portcullis had not answered within 10 s/);
    expect(stderr).toContain('the client closed its input; answering the');
  }, 60_000);

  it('goes on relaying the same session when the Portcullis it relays to restarts', async () => {
    const host = restartableHost();
    let t = await host.start();
    const key = t.runtime.apiKeys.create({ name: 'Claude Desktop', scopes: ['tools'] }).key;
    const client = await stdioClient({ PORTCULLIS_API_KEY: key }, ['--port', String(host.port)]);
    const first = client.callTool({ name: 'fs_write', arguments: { path: 'a.txt', content: 'a' } });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_conversation' });
    expect((await first as CallToolResult).isError).toBeFalsy();
    await host.stop();
    // While it is down, a call says so.
    await expect(client.callTool({ name: 'fs_list', arguments: { path: '.' } })).rejects.toThrow(`Portcullis is not running on 127.0.0.1:${host.port}`);
    t = await host.start();
    // Back: the same session and conversation, where fs_write was allowed.
    expect(resultText(await client.callTool({ name: 'fs_write', arguments: { path: 'b.txt', content: 'b' } }))).toContain('"bytesWritten": 1');
  }, 60_000);

  it('says why when Portcullis refuses the key or is not running, as the error of the request', async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    await expect(stdioClient({ PORTCULLIS_API_KEY: 'pck_0000000000000000_not-the-key' }, ['--port', String(server.port)])).rejects.toThrow(/Portcullis at http:\/\/127\.0\.0\.1:\d+ refused the key in PORTCULLIS_API_KEY: .*Unauthorized/);
    // The client quitting (its end of the pipe closed) ends the relay cleanly.
    const quit = spawnSync(process.execPath, [cliBin, 'mcp', '--port', String(server.port)], { input: '', env: { PATH: process.env.PATH ?? '', PORTCULLIS_API_KEY: 'pck_x' }, encoding: 'utf8', timeout: 20_000 });
    expect({ status: quit.status, stderr: quit.stderr }).toEqual({ status: 0, stderr: '' });
    const nobody = await freePort();
    await expect(stdioClient({ PORTCULLIS_API_KEY: 'pck_x' }, ['--port', String(nobody)])).rejects.toThrow(`Portcullis is not running on 127.0.0.1:${nobody}`);
  }, 60_000);
});
