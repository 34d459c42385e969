import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Prompt, Resource } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const counting = (...more: string[]) => ({ command: process.execPath, args: [chaosServer, '--prompts', 'counting', ...more] });

/**
 * A Portcullis with two servers whose prompts change (each list answered is `take-N`, N counting the lists), the
 * first with resources that change too, and an MCP SDK client on `/mcp` that keeps its prompts and resources as
 * the SDK does when a server declares `listChanged` (re-listed at each notification).
 */
async function start() {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { alpha: counting('--resources', 'counting'), beta: counting() });
  const t = startTestRuntime({ dataDir });
  await t.runtime.mcp.settled();
  const server = await startHeadlessServer({ runtime: t.runtime, log: () => undefined });
  onTestFinished(() => server.close());
  const key = t.runtime.apiKeys.create({ name: 'Claude Code', scopes: ['tools'] });
  const seen = { prompts: null as string[] | null, resources: null as string[] | null, promptChanges: 0 };
  const client = new Client(
    { name: 'claude-code', version: '2.0.0' },
    {
      listChanged: {
        prompts: { debounceMs: 0, onChanged: (_error, prompts: Prompt[] | null) => void ((seen.prompts = prompts?.map((p) => p.name) ?? null), (seen.promptChanges += 1)) },
        resources: { debounceMs: 0, onChanged: (_error, resources: Resource[] | null) => void (seen.resources = resources?.map((r) => r.uri) ?? null) },
      },
    },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key.key}` } } }));
  onTestFinished(() => client.close());
  return { ...t, client, seen, key };
}

const promptNames = async (client: Client) => (await client.listPrompts()).prompts.map((prompt) => prompt.name).sort();

describe('an MCP client told when the prompts and resources it sees through Portcullis change (/mcp)', () => {
  it('declares listChanged for prompts and resources, and says so when a server behind it changes its own', async () => {
    const t = await start();
    expect(t.client.getServerCapabilities()).toMatchObject({ prompts: { listChanged: true }, resources: { listChanged: true } });
    expect(await promptNames(t.client)).toEqual(['alpha_take-1', 'beta_take-1']);
    expect((await t.client.listResources()).resources.map((resource) => resource.uri)).toEqual(['count://take-1']);

    // The server announces prompts/list_changed: the client is told, and lists the new prompt.
    await t.client.callTool({ name: 'alpha_prompts_changed', arguments: {} });
    await expect.poll(() => t.seen.prompts, { timeout: 10_000 }).toEqual(expect.arrayContaining(['alpha_take-2', 'beta_take-1']));
    // And resources/list_changed.
    await t.client.callTool({ name: 'alpha_resources_changed', arguments: {} });
    await expect.poll(() => t.seen.resources, { timeout: 10_000 }).toEqual(['count://take-2']);

    // A server that goes away takes its prompts with it; one that connects brings its own.
    writeMcpConfig(t.dataDir, { alpha: counting('--resources', 'counting') });
    await t.runtime.mcp.reload(join(t.dataDir, 'mcp.json'));
    await expect.poll(() => t.seen.prompts, { timeout: 10_000 }).toEqual(['alpha_take-2']);
    writeMcpConfig(t.dataDir, { alpha: counting('--resources', 'counting'), gamma: counting() });
    await t.runtime.mcp.reload(join(t.dataDir, 'mcp.json'));
    await t.runtime.mcp.settled();
    await expect.poll(() => t.seen.prompts, { timeout: 10_000 }).toEqual(expect.arrayContaining(['alpha_take-2', 'gamma_take-1']));
    // A server restarted is asked its lists afresh.
    await t.runtime.mcp.restart('alpha');
    await t.runtime.mcp.settled();
    await expect.poll(() => t.seen.resources, { timeout: 10_000 }).toEqual(['count://take-1']);
  }, 60_000);

  it("says so when the session's key is given other tools, and not for a server the key does not reach", async () => {
    const t = await start();
    expect(await promptNames(t.client)).toEqual(['alpha_take-1', 'beta_take-1']);
    const told = t.seen.promptChanges;

    // The key narrowed to alpha's tools: beta's prompt goes, and alpha's resources stay (its read_resource is kept).
    t.runtime.apiKeys.update(t.key.info.id, { tools: ['alpha.*'] });
    await expect.poll(() => t.seen.prompts, { timeout: 10_000 }).toEqual(['alpha_take-1']);
    expect(t.seen.promptChanges).toBe(told + 1);

    // beta changes its prompts: nothing this session sees changed, so its client is not told.
    await t.runtime.callTool('beta.prompts_changed', {});
    await t.client.callTool({ name: 'alpha_echo', arguments: { message: 'meanwhile' } });
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(t.seen.promptChanges).toBe(told + 1);

    // Narrowed to alpha's echo alone: its resources go too (no read_resource), its prompt stays.
    t.runtime.apiKeys.update(t.key.info.id, { tools: ['alpha.echo'] });
    await expect.poll(() => t.seen.resources, { timeout: 10_000 }).toEqual([]);
    expect(await promptNames(t.client)).toEqual(['alpha_take-1']);
  }, 60_000);
});
