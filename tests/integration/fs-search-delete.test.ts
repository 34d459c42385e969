import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'sk-canary-7Qz9';

function workspaceWithFiles() {
  const { runtime, workspace, dataDir } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
  const outside = join(tempDir(), 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'far.txt'), 'invoice from outside');
  for (const folder of ['notes', 'notes/2026', '.git', 'node_modules/pkg']) mkdirSync(join(workspace, folder), { recursive: true });
  writeFileSync(join(workspace, 'notes', 'todo.md'), 'buy milk\nPay the Invoice by Friday\r\n');
  writeFileSync(join(workspace, 'notes', '2026', 'invoices.txt'), 'none yet');
  writeFileSync(join(workspace, 'notes', 'long.txt'), `${'x'.repeat(500)} invoice ${'y'.repeat(500)}`);
  writeFileSync(join(workspace, 'picture.png'), Buffer.from([0x89, 0x50, 0x00, 0x01, ...Buffer.from('invoice')]));
  writeFileSync(join(workspace, '.git', 'config'), 'invoice');
  writeFileSync(join(workspace, 'node_modules', 'pkg', 'index.js'), 'invoice');
  writeFileSync(join(workspace, '.env'), `API_KEY=${CANARY}\n`);
  symlinkSync(outside, join(workspace, 'elsewhere'));
  return { runtime, workspace, dataDir, outside };
}

describe('fs.search', () => {
  it('finds names and lines holding a phrase, case-insensitively, with their line numbers; skips .git, node_modules, binaries and links out', async () => {
    const { runtime } = workspaceWithFiles();
    const { record } = await runtime.callTool('fs.search', { query: 'invoice' });
    expect(record.status).toBe('succeeded');
    expect(record.decision?.ruleId).toBe('default.read-only'); // it only reads: no one is asked
    const result = record.result as { matches: { path: string; line: number | null; text: string | null }[]; truncated: boolean; skipped: Record<string, number> };
    expect(result.matches).toEqual([
      { path: 'notes/long.txt', line: 1, text: expect.stringMatching(/^…x+ invoice y+…$/) },
      { path: 'notes/todo.md', line: 2, text: 'Pay the Invoice by Friday' },
      { path: 'notes/2026/invoices.txt', line: null, text: null },
    ]);
    expect((result.matches[0]!.text as string).length).toBeLessThanOrEqual(202);
    expect(result).toMatchObject({ truncated: false, skipped: { binary: 1, large: 0 } });
  });

  it('never opens a file the policy keeps from fs.read: its name can match, what it holds cannot be probed', async () => {
    const { runtime } = workspaceWithFiles();
    const probe = await runtime.callTool('fs.search', { query: CANARY, limit: 1 });
    expect(probe.record.result).toMatchObject({ matches: [], truncated: false, skipped: { notReadable: 1 } });
    expect(JSON.stringify(probe.record)).not.toContain('API_KEY');
    const byName = await runtime.callTool('fs.search', { query: '.env' });
    expect(byName.record.result).toMatchObject({ matches: [{ path: '.env', line: null, text: null }] });
    // The policy would deny the read itself.
    expect((await runtime.callTool('fs.read', { path: '.env' })).record.status).toBe('denied');
  });

  it('stops at its limit and says so; a folder outside the workspace or missing is refused clearly', async () => {
    const { runtime } = workspaceWithFiles();
    expect((await runtime.callTool('fs.search', { query: 'i', limit: 2 })).record.result).toMatchObject({ matches: [{}, {}], truncated: true });
    expect((await runtime.callTool('fs.search', { query: 'invoice', path: 'notes/2026' })).record.result).toMatchObject({ matches: [{ path: 'notes/2026/invoices.txt' }] });
    expect((await runtime.callTool('fs.search', { query: 'invoice', path: '..' })).record).toMatchObject({ status: 'denied' });
    expect((await runtime.callTool('fs.search', { query: 'invoice', path: 'elsewhere' })).record).toMatchObject({ status: 'denied', decision: { ruleId: 'deny.outside-workspace' } });
    expect((await runtime.callTool('fs.search', { query: 'invoice', path: 'nope' })).record.error?.message).toBe('Cannot search "nope": there is no such folder in the workspace.');
    expect((await runtime.callTool('fs.search', { query: 'invoice', path: 'notes/todo.md' })).record.error?.message).toBe('Cannot search "notes/todo.md": it is a file, not a folder.');
  });
});

describe('fs.delete', () => {
  it('asks, then deletes a file, a link (not what it leads to) and an empty folder', async () => {
    const gate = new RecordingGate();
    const { runtime, workspace } = startTestRuntime({ approvalGate: gate });
    mkdirSync(join(workspace, 'empty'), { recursive: true });
    writeFileSync(join(workspace, 'old.txt'), 'old');
    writeFileSync(join(workspace, 'kept.txt'), 'kept');
    symlinkSync(join(workspace, 'kept.txt'), join(workspace, 'link.txt'));

    const file = await runtime.callTool('fs.delete', { path: 'old.txt' });
    expect(file.record).toMatchObject({ status: 'succeeded', result: { path: 'old.txt', deleted: 'file', bytes: 3 } });
    expect(gate.asked.map((request) => request.summary)).toEqual(['Delete old.txt']);
    expect(existsSync(join(workspace, 'old.txt'))).toBe(false);

    expect((await runtime.callTool('fs.delete', { path: 'link.txt' })).record.result).toMatchObject({ deleted: 'link' });
    expect(readFileSync(join(workspace, 'kept.txt'), 'utf8')).toBe('kept');
    expect((await runtime.callTool('fs.delete', { path: 'empty/' })).record.result).toMatchObject({ deleted: 'folder' });
    expect(existsSync(join(workspace, 'empty'))).toBe(false);
  });

  it.each([
    ['notes', /^"notes" is a folder holding 4 items; fs\.delete deletes only empty folders/],
    ['.', /^"\." is the workspace folder itself/],
    ['notes/..', /is the workspace folder itself/],
    ['missing.txt', /^There is no file or folder "missing\.txt" in the workspace\.$/],
  ])('refuses %j with a clear error and deletes nothing', async (path, message) => {
    const { runtime, workspace, outside } = workspaceWithFiles();
    writeFileSync(join(workspace, 'notes', 'more.md'), 'x'); // notes holds todo.md, long.txt, 2026/ and this one
    const { record } = await runtime.callTool('fs.delete', { path });
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(message);
    expect(existsSync(join(workspace, 'notes', 'todo.md'))).toBe(true);
    expect(existsSync(join(outside, 'far.txt'))).toBe(true);
  });

  it('is denied outside the workspace and on files that hold secrets, by the shipped policy', async () => {
    const { runtime, workspace } = workspaceWithFiles();
    expect((await runtime.callTool('fs.delete', { path: '.env' })).record).toMatchObject({ status: 'denied', decision: { ruleId: 'deny.secrets' } });
    expect((await runtime.callTool('fs.delete', { path: '../outside/far.txt' })).record).toMatchObject({ status: 'denied', decision: { ruleId: 'deny.outside-workspace' } });
    expect((await runtime.callTool('fs.delete', { path: 'elsewhere/far.txt' })).record).toMatchObject({ status: 'denied', decision: { ruleId: 'deny.outside-workspace' } });
    expect(existsSync(join(workspace, '.env'))).toBe(true);
  });
});
