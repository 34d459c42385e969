import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process';
import { tempDir } from '../helpers/temp-dir';

describe('a listing command given a data folder that does not exist (a mistyped --data-dir)', () => {
  it('lists nothing and makes no folder there', async () => {
    const dataDir = join(tempDir(), 'typo');
    const listed = async (...args: string[]) => {
      const { code, stdout } = await runCli(...args, '--data-dir', dataDir);
      return { code, stdout: stdout.trim() };
    };
    expect(await listed('keys', 'list')).toEqual({ code: 0, stdout: 'No API keys. Create one with `portcullis keys create`.' });
    expect(await listed('keys', 'list', '--json')).toEqual({ code: 0, stdout: '[]' });
    expect(await listed('policy', 'rules')).toEqual({ code: 0, stdout: 'No "always allow" rules.' });
    expect(await listed('policy', 'rules', '--json')).toEqual({ code: 0, stdout: '[]' });
    expect(await listed('prompts', 'list')).toEqual({ code: 0, stdout: 'No connected MCP server offers prompts.' });
    expect(await listed('prompts', 'list', '--json')).toEqual({ code: 0, stdout: '{"prompts":[],"problems":[]}' });
    expect(await listed('resources', 'list')).toEqual({ code: 0, stdout: 'No connected MCP server offers resources.' });
    expect(await listed('resources', 'list', '--json')).toEqual({ code: 0, stdout: '{"resources":[],"problems":[]}' });
    // As the others already did.
    expect(await listed('conversations', 'list')).toMatchObject({ code: 0 });
    expect(await listed('audit', 'list')).toMatchObject({ code: 0 });
    expect(await listed('web', 'list')).toMatchObject({ code: 0 });
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('tools list shows the built-in tools, as a runtime on a new folder has them, and makes no folder there', async () => {
    const missing = join(tempDir(), 'typo');
    const fresh = await runCli('tools', 'list', '--json', '--data-dir', join(tempDir(), 'new'));
    const builtins = (JSON.parse(fresh.stdout) as { tools: Array<{ server: string | null }> }).tools.filter((tool) => tool.server === null);
    expect(builtins.length).toBeGreaterThan(0);

    const json = await runCli('tools', 'list', '--json', '--data-dir', missing);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ tools: builtins, servers: [], problems: [] });
    const text = await runCli('tools', 'list', '--data-dir', missing);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('fs.read  (built-in, read-only, ');
    expect(text.stdout).toContain(`No MCP servers are set up in ${missing}: it does not exist, so only the built-in tools are listed.`);
    expect(existsSync(missing)).toBe(false);
  }, 60_000);
});
