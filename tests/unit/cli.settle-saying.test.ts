import { describe, expect, it } from 'vitest';
import { settleSaying } from '../../src/cli/settle-saying';
import type { McpServerStatusInfo } from '../../src/shared/domain/tool-catalog';

const server = (name: string, state: McpServerStatusInfo['state'], startingNote?: string) => ({ name, state, ...(startingNote ? { startingNote } : {}) }) as McpServerStatusInfo;

describe('a command alone on the data folder says which MCP servers it waits for', () => {
  it('after a while, and again, naming each still starting and what it does (an npx download)', async () => {
    const said: string[] = [];
    let done!: () => void;
    const settled = new Promise<void>((resolve) => (done = resolve));
    const servers = [server('everything', 'connected'), server('github', 'starting', 'fetching @modelcontextprotocol/server-github (a first start downloads it; later ones use the copy kept)'), server('memory', 'starting')];
    const waiting = settleSaying({ settled: () => settled, status: () => servers }, (line) => said.push(line), { firstAfterMs: 10, everyMs: 30 });
    await new Promise((resolve) => setTimeout(resolve, 55));
    servers.splice(2, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    done();
    await waiting;
    const count = said.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(said.length).toBe(count); // nothing said once they started
    expect(said[0]).toBe('portcullis: waiting for 2 MCP servers to start: github (fetching @modelcontextprotocol/server-github (a first start downloads it; later ones use the copy kept)), memory…');
    expect(said.at(-1)).toMatch(/^portcullis: waiting for an MCP server to start: github \(fetching/);
  });

  it('nothing when they start at once', async () => {
    const said: string[] = [];
    await settleSaying({ settled: async () => undefined, status: () => [server('everything', 'starting')] }, (line) => said.push(line), { firstAfterMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(said).toEqual([]);
  });
});
