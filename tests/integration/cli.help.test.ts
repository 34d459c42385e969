import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../helpers/paths';

const run = promisify(execFile);

describe('portcullis COMMAND --help', () => {
  it.each(['chat', 'serve', 'tools', 'policy'])('%s --help prints that command\'s usage and succeeds', async (command) => {
    const { stdout, stderr } = await run(process.execPath, [cliBin, command, '--help']);
    expect(stdout).toContain(`portcullis ${command}`);
    expect(stderr).not.toMatch(/Unknown option/);
  });

  it('-h after other arguments asks too; after -- it is a message like any other', async () => {
    await expect(run(process.execPath, [cliBin, 'tools', 'list', '-h'])).resolves.toMatchObject({ stdout: expect.stringContaining('portcullis tools list') });
    await expect(run(process.execPath, [cliBin, 'route', '--json', '--', '--help'])).resolves.toMatchObject({ stdout: expect.stringContaining('"intent"') });
  });
});
