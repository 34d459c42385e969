import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { RetentionService } from '../../src/core/retention/retention-service';
import { openDatabase } from '../../src/core/storage/database';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';
import { NOW, retentionHistory, rowsPerConversation, searchIndexesAgree } from '../helpers/retention-history';
import { tempDir } from '../helpers/temp-dir';

const ROOT = join(__dirname, '..', '..');

/** Bundles the child once (as the crash harness bundles its writer) and runs it until its `slices`-th slice, then SIGKILLs it. */
function cutAndKill(dir: string, file: string, tracesFile: string, slices: number): Promise<{ slices: number; done: boolean }> {
  const outfile = join(dir, 'retention-cut-child.cjs');
  buildSync({
    entryPoints: [join(ROOT, 'tests', 'crash', 'retention-cut-child.ts')], bundle: true, platform: 'node', format: 'cjs', outfile,
    external: ['better-sqlite3'], nodePaths: [join(ROOT, 'node_modules')], logLevel: 'error',
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [outfile, file, tracesFile, String(NOW), '1'], {
      stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    });
    let seen = 0;
    let done = false;
    // A cut that never pauses (one transaction) gets to its end: the test says so.
    const fallback = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === 'slice' && ++seen === slices) child.kill('SIGKILL');
        if (line === 'done') done = true;
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(fallback);
      resolve({ slices: seen, done });
    });
  });
}

describe('a retention cut killed between slices', () => {
  it('leaves whole conversations only; the next run finishes it and writes one audit entry with the whole totals', async () => {
    const dir = tempDir();
    const history = retentionHistory(dir, { old: 40, recent: 3 });
    const { file, tracesFile, old, recent, messagesEach, callsEach } = history;
    history.db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('retention', ?, 0)")
      .run(JSON.stringify({ conversationDays: 30, traceDays: null, maxDatabaseMb: null, privateChats: false }));
    history.db.close();
    history.traces.close();

    const killed = await cutAndKill(dir, file, tracesFile, 4);
    expect(killed.done, 'the child was killed before the cut ended').toBe(false);

    const db = openDatabase(file);
    const traces = openTracesConnection(tracesFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    searchIndexesAgree(db);
    const rows = rowsPerConversation(db);
    for (const [id, row] of rows) expect(row, id).toEqual({ conversation: true, messages: messagesEach, calls: callsEach });
    const deleted = old.filter((id) => !rows.has(id));
    expect(deleted.length, 'some conversations were cut before the kill').toBeGreaterThan(0);
    expect(deleted.length).toBeLessThan(old.length);
    const audit = new RetentionCutLog(db);
    expect(audit.list()).toEqual([]);
    // How far it got is on record, with the slices it committed.
    const underWay = JSON.parse(db.prepare("SELECT value_json FROM settings WHERE key = 'retention.underWay'").pluck().get() as string);
    expect(underWay).toMatchObject({ type: 'retention.cut', conversations: deleted.length, messages: deleted.length * messagesEach });

    const service = new RetentionService({ db, file, traces: { db: traces, file: tracesFile }, settings: new SettingsStore(db), audit, clock: { now: () => NOW } });
    const report = await service.run('start');
    expect(report).toMatchObject({ conversations: old.length, messages: old.length * messagesEach });
    expect([...rowsPerConversation(db).keys()].sort()).toEqual(recent);
    expect(audit.list()).toMatchObject([{ type: 'retention.cut', detail: { reason: 'purge now', conversations: old.length, messages: old.length * messagesEach, resumed: true } }]);
    expect(JSON.parse(db.prepare("SELECT value_json FROM settings WHERE key = 'retention.underWay'").pluck().get() as string)).toBeNull();
    // Nothing left to finish: the next run cuts nothing and writes nothing.
    expect(await service.run('periodic')).toMatchObject({ conversations: 0 });
    expect(audit.list()).toHaveLength(1);
    db.close();
    traces.close();
  }, 60_000);
});
