import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolCatalog } from '../../src/shared/domain/tool-catalog';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { postChannel } from '../helpers/local-api-client';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { pollUntil } from '../helpers/poll-until';
import { tempDir } from '../helpers/temp-dir';

let host: Host | undefined;
afterEach(() => stopHost(host));

describe('tools.catalog for a key with the tools scope alone', () => {
  it('tells it, limited to certain tools or not, whether its tools can be called, nothing of the machine: no grants, folders, paths, commands, env names, stderr or mcp.json notes', async () => {
    const canary = `canary${randomBytes(4).toString('hex')}`;
    const documents = join(tempDir(), `${canary}-documents`);
    const readable = join(tempDir(), `${canary}-readable`);
    mkdirSync(documents);
    mkdirSync(readable);
    const dataDir = tempDir();
    const workspace = tempDir();
    writeMcpConfig(dataDir, {
      // A pasted filesystem server: its folder named in its arguments (offered for a write grant), a folder granted to
      // read, an env variable, a mistyped field and another app's auto-approval.
      files: {
        command: mcpBin('filesystem'),
        args: [documents],
        env: { [`${canary.toUpperCase()}_TOKEN_NAME`]: 'x' },
        sandbox: { allowRead: [readable] },
        timeoutMS: 5000,
        autoApprove: ['read_text_file'],
        maxRetries: 0,
      },
      broken: { command: join(documents, `${canary}-server`), maxRetries: 0 },
    });
    host = await startHost(dataDir, ['--workspace', workspace]);
    const whole = await pollUntil(
      () => callHost<ToolCatalog>(host!, 'tools.catalog'),
      (catalog) => ['files', 'broken'].every((name) => catalog.servers.some((server) => server.name === name && ['connected', 'failed'].includes(server.state))),
    );
    // The person's page reads it all, canary included: what follows would prove nothing otherwise.
    const files = whole.servers.find((server) => server.name === 'files')!;
    expect(files, files.error ?? '').toMatchObject({ state: 'connected', sandboxed: true });
    expect(JSON.stringify(files.sandboxGrants)).toContain(readable);
    expect(files.unwritableFolders.map((folder) => folder.folder)).toContain(documents);
    expect(files.fieldWarnings.join(' ')).toContain('timeoutMS');
    expect(files.ignoredApprovals.join(' ')).toContain('autoApprove');
    expect(whole.servers.find((server) => server.name === 'broken')).toMatchObject({ state: 'failed', error: expect.stringContaining(canary) });

    const { key } = await callHost<{ key: string }>(host, 'apiKeys.create', { name: 'Cursor', scopes: ['tools'], tools: ['files.*', 'broken.*'] });
    const reply = await postChannel(host.port, key, 'tools.catalog', {});
    expect(reply.status).toBe(200);
    const seen = reply.output as ToolCatalog;
    // What it needs: its tools, whether their servers run, how to call them.
    expect(seen.tools.length).toBeGreaterThan(0);
    expect(seen.tools.every((tool) => tool.server === 'files')).toBe(true);
    expect(seen.servers.find((server) => server.name === 'files')).toMatchObject({ state: 'connected', enabled: true, toolPrefix: 'files', breaker: 'closed' });
    expect(seen.servers.find((server) => server.name === 'broken')).toMatchObject({ state: 'failed', error: expect.stringMatching(/Tools & servers/) });
    const nothingOfTheMachine = (catalog: ToolCatalog) => {
      for (const server of catalog.servers) {
        expect(server).toMatchObject({ sandboxGrants: null, sandboxNote: null, unwritableFolders: [], refusedHosts: [], fieldWarnings: [], ignoredApprovals: [], stderrTail: '', outputTrustNote: null });
      }
      const text = JSON.stringify(catalog);
      expect(text.toLowerCase()).not.toContain(canary);
      expect(text).not.toContain(dataDir);
      expect(text).not.toContain(workspace);
    };
    nothingOfTheMachine(seen);

    // A key for every tool (what an MCP client is usually handed): every server and tool, still nothing of the machine.
    const unlimited = await callHost<{ key: string }>(host, 'apiKeys.create', { name: 'Claude Code', scopes: ['tools'] });
    const all = (await postChannel(host.port, unlimited.key, 'tools.catalog', {})).output as ToolCatalog;
    expect(all.servers.map((server) => server.name).sort()).toEqual(['broken', 'files']);
    expect(all.tools.length).toBeGreaterThan(seen.tools.length);
    nothingOfTheMachine(all);
  }, 60_000);
});
