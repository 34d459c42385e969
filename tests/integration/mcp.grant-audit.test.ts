import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { type Host, startHost, stopHost } from '../helpers/headless-host';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

describe('what mcp.json grants a server, changed in another editor or on the page', () => {
  it('is on the audit chain either way, once: a hand edit when the watch takes it up, a save when it is written', async () => {
    const dataDir = tempDir();
    const notes = tempDir();
    const chaos = { command: process.execPath, args: [chaosServer, '--describe', 'chaos'] };
    writeMcpConfig(dataDir, { chaos });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('none') });
    await runtime.mcp.settled();
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const audited = () =>
      (db.prepare("SELECT kind, data_json FROM audit_log WHERE kind LIKE 'sandbox.%' ORDER BY seq").all() as { kind: string; data_json: string }[]).map((row) => [row.kind, JSON.parse(row.data_json)]);
    const byHand = (entry: Record<string, unknown>) => writeFileSync(join(dataDir, 'mcp.json'), JSON.stringify({ mcpServers: { chaos: entry } }, null, 2));

    byHand({ ...chaos, trustedOutput: true, sandbox: { allowedDomains: ['api.example.com'], allowWrite: [notes] } });
    await until('the hand edit to be recorded', async () => audited(), (rows) => rows.length >= 3);
    byHand({ ...chaos, sandbox: { allowWrite: [notes] } });
    await until('the second hand edit to be recorded', async () => audited(), (rows) => rows.length >= 5);
    expect(audited()).toEqual([
      ['sandbox.granted', { server: 'chaos', trustedOutput: true }],
      ['sandbox.granted', { server: 'chaos', domain: 'api.example.com' }],
      ['sandbox.granted', { server: 'chaos', folder: notes }],
      ['sandbox.revoked', { server: 'chaos', trustedOutput: false }],
      ['sandbox.revoked', { server: 'chaos', domain: 'api.example.com' }],
    ]);

    // The page's save takes the file up itself (and then its watch sees nothing new): recorded once, by the time it answers.
    const saved = await runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify({ mcpServers: { chaos: { ...chaos, trustedOutput: true, sandbox: { allowWrite: [notes] } } } }) });
    expect(saved.saved).toBe(true);
    expect(await runtime.handlers['tools.allowDomain']({ name: 'chaos', domain: 'downloads.example.org' })).toEqual({ done: true, problems: [] });
    expect(audited().slice(5)).toEqual([
      ['sandbox.granted', { server: 'chaos', trustedOutput: true }],
      ['sandbox.granted', { server: 'chaos', domain: 'downloads.example.org' }],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // past the watch's settling time
    expect(audited()).toHaveLength(7);
    db.close();
    expect((await runtime.handlers['audit.verify']({})).ok).toBe(true);
  }, 60_000);

  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('is recorded by one process when two run on the folder: the owner, then the one that outlives it', async () => {
    const dataDir = tempDir();
    const chaos = { command: process.execPath, args: [chaosServer, '--describe', 'chaos'] };
    writeMcpConfig(dataDir, { chaos });
    host = await startHost(dataDir);
    // Started beside the host (as the app beside `portcullis serve`, or a command beside the app): not the owner.
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('none') });
    expect(runtime.ownsDataFolder).toBe(false);
    await runtime.mcp.settled();
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const audited = () => db.prepare("SELECT data_json FROM audit_log WHERE kind = 'sandbox.granted' ORDER BY seq").pluck().all() as string[];
    const byHand = (entry: Record<string, unknown>) => writeFileSync(join(dataDir, 'mcp.json'), JSON.stringify({ mcpServers: { chaos: entry } }, null, 2));

    byHand({ ...chaos, trustedOutput: true });
    await until('the owner to record the hand edit', async () => audited(), (rows) => rows.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // both watches have taken it up
    expect(audited()).toHaveLength(1);

    await stopHost(host);
    host = undefined;
    byHand({ ...chaos, trustedOutput: true, sandbox: { allowedDomains: ['api.example.com'] } });
    await until('the process left to record it', async () => audited(), (rows) => rows.length >= 2);
    expect(audited().map((data) => JSON.parse(data))).toEqual([{ server: 'chaos', trustedOutput: true }, { server: 'chaos', domain: 'api.example.com' }]);
    db.close();
    await runtime.dispose();
  }, 60_000);
});
