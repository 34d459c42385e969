import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import type { ToolCatalog } from '../../src/shared/domain/tool-catalog';
import { postChannel } from '../helpers/local-api-client';
import { pollUntil } from '../helpers/poll-until';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

/** A Portcullis with a connected server, one that failed at start and one of tools no limited key below reaches. */
async function start() {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, {
    chaos: { command: process.execPath, args: [chaosServer] },
    broken: { command: process.execPath, args: [chaosServer, '--exit-at-start'], maxRetries: 0 },
    secret: { command: process.execPath, args: [chaosServer] },
  });
  const t = startTestRuntime({ dataDir });
  await t.runtime.mcp.settled();
  const server = await startHeadlessServer({ runtime: t.runtime, log: () => {} });
  onTestFinished(() => server.close());
  const catalog = async (key: string) => {
    const reply = await postChannel(server.port, key, 'tools.catalog', {});
    return { status: reply.status, catalog: reply.output as ToolCatalog | undefined, error: reply.error };
  };
  return { ...t, catalog };
}

const serverNames = (catalog: ToolCatalog | undefined) => catalog?.servers.map((server) => server.name).sort();
const toolNames = (catalog: ToolCatalog | undefined) => catalog?.tools.map((tool) => tool.name).sort();

describe('tools.catalog for a key with the tools scope', () => {
  it('a limited key reads its tools and their servers (a failed one too), nothing of the others; an unlimited one all but the personal tools', async () => {
    const t = await start();
    const full = await t.catalog(t.runtime.apiKeys.create({ name: 'chat', scopes: ['chat'] }).key);
    expect(full.status).toBe(200);
    expect(serverNames(full.catalog)).toEqual(['broken', 'chaos', 'secret']);
    expect(toolNames(full.catalog)).toEqual(expect.arrayContaining(['memory.search', 'secret.echo', 'fs.write']));

    // A script sees its server is down before calling; why is the person's to read (the error quotes its stderr's path).
    // Read while broken is down: it is restarted with backoff, and a loaded machine may find it starting again.
    const cursor = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'], tools: ['fs.read', 'chaos.e*', 'broken.*'] }).key;
    const limited = await pollUntil(() => t.catalog(cursor), (read) => read.catalog?.servers.find((server) => server.name === 'broken')?.state === 'failed');
    expect(limited.status).toBe(200);
    expect(toolNames(limited.catalog)).toEqual(['chaos.echo', 'chaos.escapes', 'fs.read']);
    expect(serverNames(limited.catalog)).toEqual(['broken', 'chaos']);
    const broken = limited.catalog!.servers.find((server) => server.name === 'broken')!;
    expect(broken).toMatchObject({ state: 'failed', toolCount: 0, stderrTail: '' });
    expect(broken.error).toMatch(/Tools & servers page/);
    expect(JSON.stringify(limited.catalog)).not.toContain('/nonexistent');
    // How many tools chaos has beside its two is not said, nor mcp.json's problems.
    expect(limited.catalog!.servers.find((server) => server.name === 'chaos')).toMatchObject({ state: 'connected', toolCount: 2 });
    expect(limited.catalog).toMatchObject({ problems: [], configVersion: '' });
    expect(JSON.stringify(limited.catalog)).not.toMatch(/secret\.|chaos\.hang|fs\.write/);

    const unlimited = await t.catalog(t.runtime.apiKeys.create({ name: 'script', scopes: ['tools'] }).key);
    expect(unlimited.status).toBe(200);
    expect(serverNames(unlimited.catalog)).toEqual(['broken', 'chaos', 'secret']);
    expect(toolNames(unlimited.catalog)).toEqual(expect.arrayContaining(['secret.echo', 'fs.write', 'chaos.hang']));
    expect(toolNames(unlimited.catalog)?.filter((name) => name.startsWith('memory.'))).toEqual([]);

    const tracesOnly = await t.catalog(t.runtime.apiKeys.create({ name: 'dashboard', scopes: ['traces:read'] }).key);
    expect(tracesOnly.status).toBe(403);
  }, 60_000);
});
