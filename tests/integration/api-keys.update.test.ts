import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { keysCommand } from '../../src/cli/commands/keys';
import { CliUsageError } from '../../src/cli/command';
import type { ServerFrame } from '../../src/shared/api/wire';
import type { ApiKeyInfoDto } from '../../src/shared/domain/security';
import { chaosBehindLocalApi } from '../helpers/chaos-behind-api';
import { auditedData, connectMcpClient, postChannel } from '../helpers/local-api-client';
import { resultText } from '../helpers/result-text';

/** A running Portcullis with the chaos server behind the local API and `/mcp`, and the CLI on its data folder. */
async function start() {
  const t = await chaosBehindLocalApi({ serve: () => ({ log: () => undefined }) });
  const connect = (key: string) => connectMcpClient(t.port, key);
  const post = (key: string, channel: string, input: unknown) => postChannel(t.port, key, channel, input);
  const lines: string[] = [];
  const keys = (positionals: string[], values: Record<string, unknown> = {}) =>
    keysCommand({ values: { 'data-dir': t.dataDir, ...values }, positionals, out: (line) => void lines.push(line) });
  return { ...t, connect, post, keys, lines };
}

const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name).sort();

function socketOf(port: number, key: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${key}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

let frameId = 0;
function ask(ws: WebSocket, channel: string, input: unknown): Promise<Extract<ServerFrame, { type: 'response' }>> {
  const id = ++frameId;
  return new Promise((resolve) => {
    ws.on('message', function onMessage(data) {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'response' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    });
    ws.send(JSON.stringify({ type: 'request', id, channel, input }));
  });
}

describe("changing a key's tools and scopes after it was made (keys update, apiKeys.update)", () => {
  it('holds in an open /mcp session at once: its client is told the tools changed, lists and calls the new ones, and the change is audited', async () => {
    const t = await start();
    const { key, info } = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'], tools: ['fs.read'] });
    const client = await t.connect(key);
    expect(await names(client)).toEqual(['fs_read']);
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));

    // By its name, from the CLI, on the data folder of the running host.
    expect(await t.keys(['update', 'Cursor'], { tools: 'fs.read,chaos.echo' })).toBe(0);
    expect(t.lines.pop()).toBe(`Updated ${info.id} (Cursor): tools; only the tools fs.read, chaos.echo. It holds from the key's next request, also on a running host and in its open /mcp sessions.`);
    await expect.poll(() => changed, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(await names(client)).toEqual(['chaos_echo', 'fs_read']);
    expect(resultText(await client.callTool({ name: 'chaos_echo', arguments: { message: 'now' } }))).toBe('echo: now');
    // Its server's prompts come with it.
    expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toContain('chaos_leaky');

    // Narrowed again, by its id: the same session is refused what it may no longer call.
    expect(await t.keys(['update', info.id], { tools: 'fs.read' })).toBe(0);
    const refused = (await client.callTool({ name: 'chaos_echo', arguments: { message: 'again' } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toMatch(/^FORBIDDEN: chaos_echo is not among the tools key "Cursor" may call \(fs\.read\)/);
    await expect.poll(() => changed, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    // Every tool again.
    expect(await t.keys(['update', 'Cursor'], { 'all-tools': true, json: true })).toBe(0);
    expect((JSON.parse(t.lines.pop()!) as ApiKeyInfoDto).tools).toBeNull();
    expect(await names(client)).toEqual(expect.arrayContaining(['fs_write', 'chaos_hang', 'chaos_read_resource']));
    await t.keys(['list']);
    expect(t.lines.pop()).toMatch(new RegExp(`^${info.id}  active   Cursor  \\[tools\\]  all tools  never expires$`, 'm'));

    expect(auditedData(t.dataDir, 'api_key.updated')).toEqual([
      { id: info.id, name: 'Cursor', scopes: ['tools'], tools: ['fs.read', 'chaos.echo'], before: { scopes: ['tools'], tools: ['fs.read'] } },
      { id: info.id, name: 'Cursor', scopes: ['tools'], tools: ['fs.read'], before: { scopes: ['tools'], tools: ['fs.read', 'chaos.echo'] } },
      { id: info.id, name: 'Cursor', scopes: ['tools'], tools: null, before: { scopes: ['tools'], tools: ['fs.read'] } },
    ]);
  }, 60_000);

  it('holds from the next request over HTTP and an open WebSocket, scopes too; apiKeys.update takes the same rules', async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const { key, info } = t.runtime.apiKeys.create({ name: 'Script', scopes: ['tools', 'traces:read'] });
    const ws = await socketOf(t.port, key);
    onTestFinished(() => ws.close());
    expect(await ask(ws, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' } })).toMatchObject({ ok: true });

    const admin = t.runtime.apiKeys.create({ name: 'admin', scopes: ['admin'] }).key;
    const updated = await t.post(admin, 'apiKeys.update', { id: info.id, tools: ['chaos.*'] });
    expect(updated).toMatchObject({ ok: true, output: { id: info.id, name: 'Script', scopes: ['tools', 'traces:read'], tools: ['chaos.*'] } });
    // The socket opened before the change is held to it on its next request.
    const refused = await ask(ws, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('fs.read is not among the tools key "Script" may call (chaos.*)') } });
    expect(await t.post(key, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' } })).toMatchObject({ status: 403, ok: false });

    // Scopes: traces only, and the tools go, on the socket and over HTTP.
    expect(await t.post(admin, 'apiKeys.update', { id: info.id, scopes: ['traces:read'] })).toMatchObject({ ok: true, output: { scopes: ['traces:read'], tools: ['chaos.*'] } });
    expect(await ask(ws, 'tools.call', { name: 'chaos.echo', arguments: { message: 'x' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('lacks the "tools" scope') } });
    expect(await t.post(key, 'tools.call', { name: 'chaos.echo', arguments: { message: 'x' } })).toMatchObject({ status: 403 });

    // A tool list does not go with chat, admin or approve, whichever of the two changes.
    const chatty = await t.post(admin, 'apiKeys.update', { id: info.id, scopes: ['chat'] });
    expect(chatty).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('cannot also have the "chat" scope') } });
    const approver = t.runtime.apiKeys.create({ name: 'Approver', scopes: ['tools', 'approve'] }).info;
    expect(await t.post(admin, 'apiKeys.update', { id: approver.id, tools: ['fs.read'] })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('"approve"') } });
    expect(await t.post(admin, 'apiKeys.update', { id: 'nope', tools: null })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Only admin changes keys.
    expect(await t.post(key, 'apiKeys.update', { id: info.id, tools: null })).toMatchObject({ status: 403 });
    expect(t.runtime.apiKeys.list().find((k) => k.id === info.id)).toMatchObject({ scopes: ['traces:read'], tools: ['chaos.*'] });
  }, 60_000);

  it('the CLI refuses what create refuses, a name two keys have, and a key that is not there', async () => {
    const t = await start();
    t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['chat'] });
    await expect(t.keys(['update', 'Cursor'], { tools: 'fs.read' })).rejects.toThrow(/cannot also have the "chat" scope/);
    await expect(t.keys(['update', 'Cursor'], { tools: 'fs.read' })).rejects.toBeInstanceOf(CliUsageError);
    await expect(t.keys(['update', 'Cursor'], { tools: 'fs.read', 'all-tools': true })).rejects.toThrow('Give either --tools "…" or --all-tools, not both.');
    await expect(t.keys(['update', 'Cursor'])).rejects.toThrow(/Say what to change/);
    // A limited key given the chat scope alone keeps its list: told how to lift it.
    t.runtime.apiKeys.create({ name: 'Limited', scopes: ['tools'], tools: ['fs.read'] });
    await expect(t.keys(['update', 'Limited'], { scope: ['chat'] })).rejects.toThrow('It keeps its tools (fs.read) unless given every tool too (--all-tools).');
    expect(await t.keys(['update', 'Limited'], { scope: ['chat'], 'all-tools': true })).toBe(0);
    // Scopes and tools together: the chat key becomes a limited tools key.
    expect(await t.keys(['update', 'Cursor'], { scope: ['tools'], tools: 'fs.*' })).toBe(0);
    expect(t.runtime.apiKeys.list().find((k) => k.name === 'Cursor')).toMatchObject({ scopes: ['tools'], tools: ['fs.*'] });
    t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] });
    await expect(t.keys(['update', 'Cursor'], { 'all-tools': true })).rejects.toThrow(/2 active keys are named "Cursor" \(.+\): say which by its id\./);
    await expect(t.keys(['update', 'Nobody'], { 'all-tools': true })).rejects.toThrow('No key has the id or name "Nobody"');
  }, 60_000);

  it('keys revoke takes a name as update does: the one active key with it stops working, a name two share is refused with their ids', async () => {
    const t = await start();
    const first = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] });
    const second = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] });
    const other = t.runtime.apiKeys.create({ name: 'nightly backup', scopes: ['tools'] });
    await expect(t.keys(['revoke', 'Cursor'])).rejects.toThrow(`2 active keys are named "Cursor" (${first.info.id}, ${second.info.id}): say which by its id.`);
    expect(t.runtime.apiKeys.list().filter((key) => key.revokedAt !== null)).toEqual([]);

    // By its name, on the data folder of the running host: it is refused at its next request.
    expect(await t.keys(['revoke', 'nightly backup'])).toBe(0);
    expect(t.lines.pop()).toBe(`Revoked ${other.info.id} (nightly backup). It stops working at once, also on a running host.`);
    expect((await t.post(other.key, 'tools.catalog', {})).status).toBe(401);
    // By its id, as before; then the name is the other key's alone.
    expect(await t.keys(['revoke', first.info.id])).toBe(0);
    expect(await t.keys(['revoke', 'Cursor'])).toBe(0);
    expect(t.lines.pop()).toBe(`Revoked ${second.info.id} (Cursor). It stops working at once, also on a running host.`);
    expect(auditedData(t.dataDir, 'api_key.revoked')).toEqual([{ id: other.info.id }, { id: first.info.id }, { id: second.info.id }]);
    await expect(t.keys(['revoke', 'Cursor'])).rejects.toThrow('No key has the id or name "Cursor"');
    await expect(t.keys(['revoke'])).rejects.toThrow('Say which key to revoke: portcullis keys revoke <id or name>');
  }, 60_000);
});
