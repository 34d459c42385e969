import { chmodSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileBeforeOf } from '../../src/core/approvals/file-preview';
import { tempDir } from '../helpers/temp-dir';

/** A workspace with `notes.txt` a hard link to a file of `mode` outside it. */
function linkedIn(text: string, mode: number): string {
  const base = tempDir();
  const workspace = join(base, 'workspace');
  mkdirSync(workspace);
  mkdirSync(join(base, 'outside'));
  const original = join(base, 'outside', 'id_ed25519');
  writeFileSync(original, text);
  chmodSync(original, mode);
  linkSync(original, join(workspace, 'notes.txt'));
  return workspace;
}

describe("the approval dialog's diff of a write through a hard link", () => {
  it('does not show a private file linked into the workspace (fs.read would not read it, fs.write refuses it)', () => {
    const workspace = linkedIn('PRIVATE_KEY_CANARY\n', 0o600);
    expect(fileBeforeOf({ path: 'notes.txt', content: 'new' }, workspace)).toEqual({});
    expect(JSON.stringify(fileBeforeOf({ path: 'notes.txt', edits: [{ oldText: 'PRIVATE', newText: 'x' }] }, workspace))).not.toContain('CANARY');
  });

  it('shows a link anyone may read, and a private file of one name, as before', () => {
    expect(fileBeforeOf({ path: 'notes.txt', content: 'new' }, linkedIn('shared text\n', 0o644))).toEqual({ fileBefore: { path: 'notes.txt', content: 'shared text\n', truncated: false } });
    const workspace = tempDir();
    writeFileSync(join(workspace, 'mine.txt'), 'just mine\n', { mode: 0o600 });
    expect(fileBeforeOf({ path: 'mine.txt', content: 'new' }, workspace)).toEqual({ fileBefore: { path: 'mine.txt', content: 'just mine\n', truncated: false } });
  });
});
