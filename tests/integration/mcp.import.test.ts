import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { MemorySecretStore, mcpBin, writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'canary-claude-desktop-token-3b9d';

describe("bringing servers over from another app's config", () => {
  it('lists them by name only, adds the new ones under their names with credentials moved to the keychain, and starts them', async () => {
    const home = tempDir();
    const claudeDesktop = join(home, '.config', 'Claude', 'claude_desktop_config.json');
    mkdirSync(dirname(claudeDesktop), { recursive: true });
    writeFileSync(
      claudeDesktop,
      JSON.stringify({
        mcpServers: {
          everything: { command: mcpBin('everything'), env: { GITHUB_PERSONAL_ACCESS_TOKEN: CANARY } },
          kept: { command: 'npx', args: ['-y', 'other'] }, // mcp.json already has a "kept"
          broken: { args: ['no command'] },
        },
      }),
    );
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { kept: { command: 'kept-command', enabled: false } });
    const secrets = new MemorySecretStore();
    const { runtime } = startTestRuntime({ dataDir, homeDir: home, secretStore: secrets, approvalGate: new FixedApprovalGate('all') });

    const { sources } = await runtime.handlers['tools.importSources']({});
    expect(sources).toEqual([{ id: 'claude-desktop', app: 'Claude Desktop', file: claudeDesktop, servers: ['everything', 'broken'], alreadyAdded: ['kept'], problems: [] }]);
    expect(JSON.stringify(sources)).not.toContain(CANARY);

    const result = await runtime.handlers['tools.importServers']({ source: 'claude-desktop' });
    expect(result.added).toEqual(['everything']);
    expect(result.movedToKeychain).toEqual(['mcp.everything.GITHUB_PERSONAL_ACCESS_TOKEN']);
    expect(result.skipped).toEqual(['kept: mcp.json already has a server by that name.', expect.stringContaining('server "broken" was skipped: it needs "command"')]);
    expect(JSON.stringify(result)).not.toContain(CANARY);

    const onDisk = JSON.parse(readFileSync(join(dataDir, 'mcp.json'), 'utf8'));
    expect(onDisk.mcpServers.kept).toEqual({ command: 'kept-command', enabled: false }); // the person's own entry is untouched
    expect(onDisk.mcpServers.everything.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: 'secret:mcp.everything.GITHUB_PERSONAL_ACCESS_TOKEN' });
    expect(secrets.values.get('mcp.everything.GITHUB_PERSONAL_ACCESS_TOKEN')).toBe(CANARY);
    await runtime.mcp.settled();
    expect((await runtime.callTool('everything.echo', { message: 'brought over' })).record.status).toBe('succeeded');

    // A second time there is nothing new, and nothing is written.
    expect((await runtime.handlers['tools.importSources']({})).sources[0]).toMatchObject({ servers: ['broken'], alreadyAdded: ['everything', 'kept'] });
    const before = readFileSync(join(dataDir, 'mcp.json'), 'utf8');
    expect((await runtime.handlers['tools.importServers']({ source: 'claude-desktop' })).added).toEqual([]);
    expect(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).toBe(before);
  }, 60_000);

  it('adds nothing while mcp.json does not parse, and says so', async () => {
    const home = tempDir();
    const cursor = join(home, '.cursor', 'mcp.json');
    mkdirSync(dirname(cursor), { recursive: true });
    writeFileSync(cursor, JSON.stringify({ mcpServers: { a: { command: 'x' } } }));
    const { runtime, dataDir } = startTestRuntime({ homeDir: home, approvalGate: new FixedApprovalGate('all') });
    writeFileSync(join(dataDir, 'mcp.json'), '{ "mcpServers": ');
    expect(await runtime.handlers['tools.importServers']({ source: 'cursor' })).toEqual({ added: [], skipped: [expect.stringContaining('mcp.json is not valid JSON')], movedToKeychain: [] });
    expect(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).toBe('{ "mcpServers": ');
  });

  it('works from the command line too: tools import lists, tools import APP adds', async () => {
    const home = tempDir();
    const lmStudio = join(home, '.lmstudio', 'mcp.json');
    mkdirSync(dirname(lmStudio), { recursive: true });
    writeFileSync(lmStudio, JSON.stringify({ mcpServers: { everything: { command: mcpBin('everything') } } }));
    const dataDir = tempDir();
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [cliBin, 'tools', 'import', ...args, '--data-dir', dataDir], { env: { ...process.env, HOME: home } });

    expect((await cli()).stdout).toBe(`lm-studio  LM Studio (${lmStudio}): everything\n`);
    expect(JSON.parse((await cli('lm-studio', '--json')).stdout)).toEqual({ added: ['everything'], skipped: [], movedToKeychain: [] });
    expect(JSON.parse(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).mcpServers).toEqual({ everything: { command: mcpBin('everything') } });
    await expect(cli('lm-studio')).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('Left out: everything: mcp.json already has a server by that name.') });
    await expect(cli('notepad')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Name one app to import from: claude-desktop, claude-code') });
  }, 60_000);
});
