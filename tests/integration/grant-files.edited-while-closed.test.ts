import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { RuntimeNotice } from '../../src/shared/domain/runtime-notice';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { grantChangeWords } from '../../src/shared/grant-change-words';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const chaos = { command: process.execPath, args: [chaosServer, '--describe', 'chaos'] };

function auditedGrants(dataDir: string): unknown[] {
  const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
  try {
    return (db.prepare("SELECT kind, data_json FROM audit_log WHERE kind LIKE 'sandbox.%' ORDER BY seq").all() as { kind: string; data_json: string }[]).map((row) => [row.kind, JSON.parse(row.data_json)]);
  } finally {
    db.close();
  }
}

/** Starts a runtime on the folder, runs `whileRunning`, and stops it; answers what its pages were told at start. */
async function runOnce(dataDir: string, whileRunning: (runtime: Runtime) => Promise<void> = async () => undefined): Promise<RuntimeNotice[]> {
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('none') });
  await runtime.mcp.settled();
  const { notices } = await runtime.handlers['app.info']({});
  await whileRunning(runtime);
  expect((await runtime.handlers['audit.verify']({})).ok).toBe(true);
  await runtime.dispose();
  return notices;
}

describe('mcp.json and http-fetch.json edited while no Portcullis runs', () => {
  it('are on the audit chain at the next start, once, saying so; the first start on a folder records nothing', async () => {
    const dataDir = tempDir();
    const notes = tempDir();
    const fetchFile = join(dataDir, 'http-fetch.json');
    writeMcpConfig(dataDir, { chaos, files: { ...chaos, sandbox: { allowedDomains: ['old.example.com'] } } });
    writeFileSync(fetchFile, JSON.stringify({ allowedDomains: ['example.org'] }));

    // First start: nothing to compare with, so nothing is recorded (what the files grant is kept).
    expect(await runOnce(dataDir)).toEqual([]);
    expect(auditedGrants(dataDir)).toEqual([]);

    // With the app closed: the sandbox turned off, a server added with a write folder, a domain swapped, and one
    // more domain for http.fetch.
    writeMcpConfig(dataDir, { chaos: { ...chaos, sandbox: false }, files: { ...chaos, sandbox: { allowedDomains: ['new.example.com'] } }, notes: { ...chaos, sandbox: { allowWrite: [notes] } } });
    writeFileSync(fetchFile, JSON.stringify({ allowedDomains: ['example.org', 'evil.example.net'] }));
    const closed = 'Portcullis was not running';
    const told = await runOnce(dataDir, async (runtime) => {
      expect(auditedGrants(dataDir)).toEqual([
        ['sandbox.granted', { server: 'chaos', sandbox: false, while: closed }],
        ['sandbox.granted', { server: 'files', domain: 'new.example.com', while: closed }],
        ['sandbox.revoked', { server: 'files', domain: 'old.example.com', while: closed }],
        ['sandbox.granted', { server: 'notes', added: true, while: closed }],
        ['sandbox.granted', { server: 'notes', folder: notes, while: closed }],
        ['sandbox.granted', { tool: 'http.fetch', domain: 'evil.example.net', while: closed }],
      ]);
      // Tools & servers → Grant history lists them, the newest first, marked as made while Portcullis was not running.
      const history = await runtime.handlers['audit.grants']({});
      expect(history.map((change) => [grantChangeWords(change), change.whileClosed])).toEqual([
        ['http.fetch may reach evil.example.net', true],
        [`Server "notes" may write to ${notes}`, true],
        ['Server "notes" added', true],
        ['Server "files" may no longer reach old.example.com', true],
        ['Server "files" may reach new.example.com', true],
        ['Server "chaos" runs without its sandbox', true],
      ]);
      // An edit while it runs is recorded as ever, and kept as the version last seen.
      writeFileSync(fetchFile, JSON.stringify({ allowedDomains: ['example.org'] }));
      await until('the live edit to be recorded', async () => auditedGrants(dataDir), (rows) => rows.length >= 7);
      expect(auditedGrants(dataDir).at(-1)).toEqual(['sandbox.revoked', { tool: 'http.fetch', domain: 'evil.example.net' }]);
      expect((await runtime.handlers['audit.grants']({}))[0]).toMatchObject({ granted: false, tool: 'http.fetch', change: 'domain', value: 'evil.example.net', whileClosed: false });
    });

    // Said to every page (and the terminal) until the next start: what is granted now, not what was taken back.
    expect(told).toEqual([{
      kind: 'grants-widened-while-closed',
      message: `While Portcullis was not running, mcp.json was changed: the server "chaos" runs without its sandbox, the server "files" may reach new.example.com and the server "notes" was added and may write to ${notes}; http-fetch.json was changed: http.fetch may reach evil.example.net. If you did not make these changes, undo them on Tools & servers. Each is in the audit log: Tools & servers → Grant history, or "portcullis audit list sandbox".`,
    }]);

    // Nothing changed since: a third start records nothing more, and says nothing.
    expect(await runOnce(dataDir)).toEqual([]);
    expect(auditedGrants(dataDir)).toHaveLength(7);
  }, 60_000);

  it('counts a file broken while closed from what was kept: fixed, only what changed since is recorded', async () => {
    const dataDir = tempDir();
    const fetchFile = join(dataDir, 'http-fetch.json');
    writeFileSync(fetchFile, JSON.stringify({ allowedDomains: ['example.org'] }));
    await runOnce(dataDir);
    writeFileSync(fetchFile, '{ "allowedDomains": [');
    await runOnce(dataDir, async () => {
      expect(auditedGrants(dataDir)).toEqual([]);
      writeFileSync(fetchFile, JSON.stringify({ allowedDomains: ['example.org', 'example.com'] }));
      await until('the fixed file to be recorded', async () => auditedGrants(dataDir), (rows) => rows.length >= 1);
    });
    expect(auditedGrants(dataDir)).toEqual([['sandbox.granted', { tool: 'http.fetch', domain: 'example.com' }]]);
  }, 60_000);
});
