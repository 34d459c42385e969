import { chmodSync, chownSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFile } from '../../src/core/sandbox/fs-operations';
import { searchFiles } from '../../src/core/sandbox/fs-search';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { tempDir } from '../helpers/temp-dir';

/** A workspace beside an "outside" folder, with `name` in the workspace a hard link to `outside/<file>` of `mode`. */
function linkedIn(file: string, text: string, mode: number, name = 'notes.txt') {
  const base = tempDir();
  const workspace = join(base, 'workspace');
  mkdirSync(workspace);
  mkdirSync(join(base, 'outside'));
  const original = join(base, 'outside', file);
  writeFileSync(original, text);
  chmodSync(original, mode);
  linkSync(original, join(workspace, name));
  return { scope: workspaceScope(workspace), original };
}

const search = (scope: ReturnType<typeof workspaceScope>, query: string) => searchFiles(scope, query, '.', [{ path: 'notes.txt', read: true }], 50);

/** A hard link has no "real path" to check: its other names may be anywhere on the same disk, under names the policy would deny. */
describe('fs.read and fs.search through hard links', () => {
  it('do not read a private file (a key, a .netrc) through a link in the workspace under an innocent name', async () => {
    const { scope } = linkedIn('id_ed25519', 'PRIVATE_KEY_CANARY\n', 0o600);
    await expect(readFile(scope, 'notes.txt')).rejects.toMatchObject({ code: 'TOOL_FAILED', message: expect.stringMatching(/^"notes\.txt" is a hard link \(the same file has 2 names on disk.*private to its owner/) });
    const found = await search(scope, 'canary');
    expect(found.matches).toEqual([]);
    expect(found.skipped.notReadable).toBe(1);
  });

  it('read a hard link that real trees hold (pnpm’s store: readable by all) as before, and a private file of one name', async () => {
    const { scope } = linkedIn('index.js', 'module.exports = 1;\n', 0o644);
    await expect(readFile(scope, 'notes.txt')).resolves.toMatchObject({ content: 'module.exports = 1;\n' });
    expect((await search(scope, 'exports')).matches).toHaveLength(1);

    const workspace = tempDir();
    writeFileSync(join(workspace, 'mine.txt'), 'just mine\n', { mode: 0o600 });
    await expect(readFile(workspaceScope(workspace), 'mine.txt')).resolves.toMatchObject({ content: 'just mine\n' });
  });

  it.skipIf(process.getuid?.() !== 0)('do not read another user’s file through a link (as root, whom permissions do not stop)', async () => {
    const { scope, original } = linkedIn('other.txt', 'SOMEONE_ELSES\n', 0o644);
    chownSync(original, 65534, 65534);
    await expect(readFile(scope, 'notes.txt')).rejects.toMatchObject({ code: 'TOOL_FAILED', message: expect.stringContaining('another user') });
  });
});
