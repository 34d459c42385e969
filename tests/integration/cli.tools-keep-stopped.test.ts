import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { runCli } from '../helpers/cli-process';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { pollUntil } from '../helpers/poll-until';
import { tempDir } from '../helpers/temp-dir';
import type { McpServerStatusInfo } from '../../src/shared/domain/tool-catalog';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');

describe("tools list and tools keep-stopped: a server waiting for the person's decision on a host its sandbox refused", () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('is listed as waiting, not failed, and kept stopped from the terminal as the row\'s "Keep it stopped" does', async () => {
    const dataDir = tempDir();
    // Like npx fetching its package at start: its sandbox refuses the host, and it waits for the decision.
    writeMcpConfig(dataDir, { downloader: { command: process.execPath, args: [escapeServer, '--download-at-start'], maxRetries: 0 } });
    host = await startHost(dataDir);
    const downloader = () => callHost<{ servers: McpServerStatusInfo[] }>(host!, 'tools.catalog').then((catalog) => catalog.servers.find((s) => s.name === 'downloader')!);
    await pollUntil(downloader, (s) => s.waitingForDomains?.length === 1);

    const listed = await runCli('tools', 'list', '--data-dir', dataDir);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^server downloader: waiting for your decision on downloads\.example\.org \(.*It is not restarted until you decide/m);
    expect(listed.stdout).toContain('\n  to keep it stopped: portcullis tools keep-stopped downloader\n');

    const kept = await runCli('tools', 'keep-stopped', 'downloader', '--data-dir', dataDir);
    expect(kept).toMatchObject({ code: 0, stdout: 'downloader stays stopped: it is not started again until you restart it or allow the host it asked for.\n' });
    expect(kept.stderr).toContain(`through the Portcullis running on this data folder (pid ${host.process.pid})`);
    expect(await downloader()).toMatchObject({ state: 'failed', waitingForDomains: [], nextRestartAt: null, error: expect.stringMatching(/^You did not let it reach downloads\.example\.org/) });
    const after = await runCli('tools', 'list', '--data-dir', dataDir);
    expect(after.stdout).toMatch(/^server downloader: failed \(You did not let it reach/m);
    expect(after.stdout).not.toContain('keep-stopped');

    // Nothing waits now: said, exit 1.
    expect(await runCli('tools', 'keep-stopped', 'downloader', '--json', '--data-dir', dataDir)).toMatchObject({
      code: 1,
      stdout: `${JSON.stringify({ server: 'downloader', keptStopped: false, problems: ['The downloader server waits for no decision on a host its sandbox refused.'] })}\n`,
    });
  }, 90_000);

  it('alone, nothing waits: refused saying where a server waits, and no data folder is made', async () => {
    const dataDir = join(tempDir(), 'typo');
    const alone = await runCli('tools', 'keep-stopped', 'downloader', '--data-dir', dataDir);
    expect(alone).toMatchObject({ code: 2, stdout: '' });
    expect(alone.stderr).toMatch(/^No Portcullis is running on this data folder, so no server waits for your decision: downloader waits only in a running Portcullis/);
    expect(existsSync(dataDir)).toBe(false);
    expect((await runCli('tools', 'keep-stopped', '--data-dir', dataDir)).stderr).toMatch(/^Name the one server to keep stopped/);
    expect((await runCli('tools', '--help')).stdout).toContain('portcullis tools keep-stopped SERVER');
  }, 30_000);
});
