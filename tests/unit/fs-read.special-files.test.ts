import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFile } from '../../src/core/sandbox/fs-operations';
import { searchFiles } from '../../src/core/sandbox/fs-search';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { tempDir } from '../helpers/temp-dir';

/** A workspace holding `notes.txt` (a line of text) and `pipe`, a named pipe no one writes to. */
function withPipe() {
  const workspace = tempDir();
  writeFileSync(join(workspace, 'notes.txt'), 'quarterly notes\n');
  execFileSync('mkfifo', [join(workspace, 'pipe')]);
  return workspaceScope(workspace);
}

/** Each would wait in open() for a writer that never comes, holding its tool worker until the call's limit. */
describe('fs.read and fs.search of a named pipe', () => {
  it('fs.read refuses it at once, saying it is not a regular file', async () => {
    const scope = withPipe();
    await expect(readFile(scope, 'pipe')).rejects.toMatchObject({
      code: 'TOOL_FAILED',
      message: '"pipe" is not a regular file (a named pipe, a socket or a device); fs.read reads files only.',
    });
    await expect(readFile(scope, 'notes.txt')).resolves.toMatchObject({ content: 'quarterly notes\n' });
  });

  it('fs.search passes over one listed as a file (swapped in after the list was made) and searches the rest', async () => {
    const scope = withPipe();
    const found = await searchFiles(scope, 'quarterly', '.', [{ path: 'pipe', read: true }, { path: 'notes.txt', read: true }], 50);
    expect(found.matches.map((m) => m.path)).toEqual(['notes.txt']);
    expect(found.skipped.notReadable).toBe(1);
  });
});
