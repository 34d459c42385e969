import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dispatchRequest } from '../../src/core/api/dispatch';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { createRuntime } from '../../src/core/runtime/create-runtime';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../../src/core/sandbox/worker-tool-runner';
import { builtSpanWriter, builtToolWorker, cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

/** A real runtime as a host starts it: `workspace` is the `--workspace` flag, absent unless given. */
function start(dataDir: string, flag?: string) {
  const launcher = createForkLauncher(builtToolWorker);
  const runtime = createRuntime(
    { version: 'test', dataDir, homeDir: join(dataDir, 'home'), mcp: false, ...(flag ? { workspace: flag } : {}) },
    { createToolRunner: (ws) => new WorkerToolRunner(launcher, ws), approvalGate: new FixedApprovalGate('all'), spanWriterEntry: builtSpanWriter },
  );
  onTestFinished(() => runtime.dispose());
  return runtime;
}

/** A folder outside the data folder, by its real path (what the setting stores). */
const folder = () => realpathSync(tempDir('portcullis-chosen-'));

describe('the workspace chosen in Settings', () => {
  it('is used from the next start on: the file tools work in it, and no longer in the default one', async () => {
    const dataDir = tempDir();
    const chosen = folder();
    const defaultWorkspace = join(dataDir, 'workspace');
    const first = start(dataDir);
    expect(await first.handlers['workspace.get']({})).toEqual({
      path: defaultWorkspace, source: 'default', chosen: null, defaultPath: defaultWorkspace, pending: false, problem: null, warning: null,
    });

    const saved = await first.handlers['workspace.set']({ path: chosen });
    // Stored for the next start; the tools of this one keep the folder they were started with.
    expect(saved).toMatchObject({ path: defaultWorkspace, source: 'default', chosen, pending: true });
    expect((await first.handlers['app.info']({})).workspace).toBe(defaultWorkspace);
    expect((await first.callTool('fs.write', { path: 'before.txt', content: 'old' })).record.status).toBe('succeeded');
    expect(existsSync(join(defaultWorkspace, 'before.txt'))).toBe(true);
    expect(existsSync(join(chosen, 'before.txt'))).toBe(false);
    await first.dispose();

    const second = start(dataDir);
    expect(await second.handlers['workspace.get']({})).toMatchObject({ path: chosen, source: 'setting', chosen, pending: false, problem: null });
    expect((await second.handlers['app.info']({})).workspace).toBe(chosen);
    expect((await second.callTool('fs.write', { path: 'notes/hello.txt', content: 'hi' })).record.status).toBe('succeeded');
    expect(readFileSync(join(chosen, 'notes', 'hello.txt'), 'utf8')).toBe('hi');
    expect(existsSync(join(defaultWorkspace, 'notes'))).toBe(false);
    expect((await second.callTool('fs.list', { path: '.' })).record).toMatchObject({ status: 'succeeded', result: { entries: [{ name: 'notes', type: 'directory' }] } });
    // The old workspace is outside the new one now.
    const outside = (await second.callTool('fs.read', { path: join(defaultWorkspace, 'before.txt') })).record;
    expect(outside.status).not.toBe('succeeded');
    expect(JSON.stringify(outside)).not.toContain('"old"');
  });

  it('records each change on the audit chain, which still verifies', async () => {
    const dataDir = tempDir();
    const chosen = folder();
    const runtime = start(dataDir);
    await runtime.handlers['workspace.set']({ path: chosen });
    await runtime.handlers['workspace.set']({ path: chosen });
    await runtime.handlers['workspace.set']({ path: null });
    expect(await runtime.handlers['audit.verify']({})).toMatchObject({ ok: true });
    const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
    const entries = db.prepare("SELECT data_json FROM audit_log WHERE kind = 'workspace.changed' ORDER BY seq").pluck().all() as string[];
    db.close();
    // Saving the same folder again is no change.
    expect(entries.map((e) => JSON.parse(e))).toEqual([
      { from: null, to: chosen, inUse: join(dataDir, 'workspace') },
      { from: chosen, to: null, inUse: join(dataDir, 'workspace') },
    ]);
  });

  it('gives way to --workspace, which wins at every start it is given, and is used again at the first start without it', async () => {
    const dataDir = tempDir();
    const chosen = folder();
    const flag = tempDir('portcullis-flag-');
    const withFlag = start(dataDir, flag);
    expect(await withFlag.handlers['workspace.set']({ path: chosen })).toMatchObject({ path: flag, source: 'flag', chosen, pending: false });
    await withFlag.dispose();

    const again = start(dataDir, flag);
    expect(await again.handlers['workspace.get']({})).toMatchObject({ path: flag, source: 'flag', chosen });
    expect((await again.callTool('fs.write', { path: 'flagged.txt', content: 'f' })).record.status).toBe('succeeded');
    expect(existsSync(join(flag, 'flagged.txt'))).toBe(true);
    await again.dispose();

    const without = start(dataDir);
    expect(await without.handlers['workspace.get']({})).toMatchObject({ path: chosen, source: 'setting' });
  });

  it('goes back to the default at the next start when cleared, and when the chosen folder is gone (saying why)', async () => {
    const dataDir = tempDir();
    const chosen = folder();
    const first = start(dataDir);
    await first.handlers['workspace.set']({ path: chosen });
    await first.dispose();

    const second = start(dataDir);
    expect(await second.handlers['workspace.set']({ path: null })).toMatchObject({ path: chosen, source: 'setting', chosen: null, pending: true });
    await second.dispose();
    const third = start(dataDir);
    expect(await third.handlers['workspace.get']({})).toMatchObject({ path: join(dataDir, 'workspace'), source: 'default', chosen: null, pending: false });

    await third.handlers['workspace.set']({ path: chosen });
    await third.dispose();
    rmSync(chosen, { recursive: true });
    const fourth = start(dataDir);
    expect(await fourth.handlers['workspace.get']({})).toMatchObject({
      path: join(dataDir, 'workspace'),
      source: 'default',
      chosen,
      pending: false,
      problem: `The workspace chosen in Settings cannot be used, so the default is: There is no folder at ${chosen}: create it first, or type another path.`,
    });
    expect((await fourth.callTool('fs.write', { path: 'still-works.txt', content: 'x' })).record.status).toBe('succeeded');
  });

  it('is what ${workspace} means to `portcullis policy explain`, unless --workspace is given', async () => {
    const dataDir = tempDir();
    const chosen = folder();
    const runtime = start(dataDir);
    await runtime.handlers['workspace.set']({ path: chosen });
    await runtime.dispose();
    writeFileSync(join(dataDir, 'policy.yaml'), 'version: 1\nrules:\n  - { id: allow.notes, effect: allow, reason: notes, match: { tool: fs.write, args: { path: { within: ["${workspace}/notes"] } } } }\n');
    const explain = async (...extra: string[]) => {
      const args = ['policy', 'explain', '--data-dir', dataDir, '--tool', 'fs.write', '--args', JSON.stringify({ path: join(chosen, 'notes', 'a.md'), content: 'x' }), '--json', ...extra];
      const { stdout } = await promisify(execFile)(process.execPath, [cliBin, ...args]);
      return (JSON.parse(stdout) as { decision: { ruleId: string } }).decision.ruleId;
    };
    expect(await explain()).toBe('allow.notes');
    // Under another workspace the path is not in its notes folder: the rule does not apply.
    expect(await explain('--workspace', tempDir())).toBe('default.mutating');
  });

  it('refuses a path that is not a usable folder with a sentence, and stores nothing', async () => {
    const dataDir = tempDir();
    const runtime = start(dataDir);
    const file = join(folder(), 'file.txt');
    writeFileSync(file, 'x');
    mkdirSync(join(dataDir, 'exports'), { recursive: true });
    for (const [path, message] of [
      ['notes/projects', /is not a full path/],
      [join(dataDir, 'no-such-folder'), /^There is no folder at .*no-such-folder: create it first, or type another path\.$/],
      [file, /is a file, not a folder/],
      ['/', /is the root of the file system/],
      [join(dataDir, 'exports'), /is inside Portcullis's data folder/],
    ] as const) {
      const result = await dispatchRequest(runtime.handlers, 'workspace.set', { path });
      expect(result, path).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(message) } });
    }
    for (const input of [{ path: '   ' }, { path: folder(), extra: true }, {}]) {
      expect(await dispatchRequest(runtime.handlers, 'workspace.set', input)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await runtime.handlers['workspace.get']({})).toMatchObject({ chosen: null, pending: false });
  });
});
