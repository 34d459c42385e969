import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

async function cli(command: 'prompts' | 'resources', args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliBin, command, ...args]);
    return { code: 0, stdout: stdout.trim(), stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr };
  }
}
const prompts = (args: string[]) => cli('prompts', args);
const resources = (args: string[]) => cli('resources', args);

describe('portcullis prompts and resources (server-everything over real stdio)', () => {
  it('lists the servers’ prompts and prints one filled in; a refusal or a bad --args says so', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') } });

    const listed = await prompts(['list', '--json', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).prompts).toContainEqual(expect.objectContaining({ server: 'everything', name: 'args-prompt', arguments: [expect.objectContaining({ name: 'city', required: true }), expect.objectContaining({ name: 'state', required: false })] }));
    expect((await prompts(['list', '--data-dir', dataDir])).stdout).toContain('everything args-prompt city [state]  A prompt with two arguments');

    expect(await prompts(['get', 'everything', 'args-prompt', '--args', '{"city":"Lyon"}', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: "What's weather in Lyon?" });
    const refused = await prompts(['get', 'everything', 'resource-prompt', '--args', '{"resourceType":"Video","resourceId":"1"}', '--json', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'TOOL_FAILED', message: expect.stringContaining('Invalid resourceType: Video') });
    expect(await prompts(['get', 'everything', 'args-prompt', '--args', '{"city":1}', '--data-dir', dataDir])).toMatchObject({ code: 2, stderr: expect.stringContaining('--args must be a JSON object of strings') });
  }, 60_000);

  it('lists the servers’ resources and prints one as the text it would put in the message box; an unknown URI says so', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') } });
    const uri = 'demo://resource/static/document/architecture.md';

    const listed = await resources(['list', '--json', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).resources).toContainEqual(expect.objectContaining({ server: 'everything', uri, name: 'architecture.md' }));
    expect((await resources(['list', '--data-dir', dataDir])).stdout).toContain(`everything ${uri}  architecture.md · Static document file`);
    const read = await resources(['read', 'everything', uri, '--data-dir', dataDir]);
    expect(read).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\[resource demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown\)\]\n# Everything Server/) });
    const refused = await resources(['read', 'everything', 'demo://nowhere', '--json', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'TOOL_FAILED', message: expect.stringContaining('could not give its resource demo://nowhere') });
    expect(await resources(['read', 'everything', '--data-dir', dataDir])).toMatchObject({ code: 2, stderr: expect.stringContaining('resources read SERVER URI') });
  }, 60_000);
});
