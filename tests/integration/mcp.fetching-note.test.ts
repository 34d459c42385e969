import { describe, expect, it } from 'vitest';
import type { CommandWrapper } from '../../src/core/mcp/launch-plan';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

describe("an npx server's first start", () => {
  it('says on its row that its package is being fetched while that lasts, and nothing of it once it runs', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { fetched: { command: mcpBin('everything') } });
    let fetched!: () => void;
    const fetchDone = new Promise<void>((resolve) => (fetched = resolve));
    // As the OS sandbox plans an npx launch: it says it fetches, fetches (here: until the test lets it go), then runs.
    const wrapMcpCommand: CommandWrapper = async (_server, config, progress) => {
      progress?.fetching?.(['@modelcontextprotocol/server-everything']);
      await fetchDone;
      return { command: config.command, args: config.args, sandboxed: false, note: 'test' };
    };
    const { runtime } = startTestRuntime({ dataDir, wrapMcpCommand });
    const row = () => runtime.mcp.status().find((s) => s.name === 'fetched')!;
    await until('the fetch is said', row, (r) => r.startingNote !== undefined);
    expect(row()).toMatchObject({ state: 'starting', startingNote: 'fetching @modelcontextprotocol/server-everything (a first start downloads it; later ones use the copy kept)' });
    fetched();
    await until('it runs', row, (r) => r.state === 'connected');
    expect(row().startingNote).toBeUndefined();
  });
});
