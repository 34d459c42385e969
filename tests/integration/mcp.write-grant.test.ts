import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

describe('a write its sandbox refused is one click from being granted', () => {
  it("a pasted Claude Desktop filesystem server: its folder is offered, its refused write names the button, and the grant lets it write", async () => {
    const dataDir = tempDir();
    const documents = join(tempDir(), 'Documents');
    mkdirSync(join(documents, 'drafts'), { recursive: true });
    // As Claude Desktop's config has it: the folders are arguments, and no sandbox block grants them.
    writeMcpConfig(dataDir, { files: { command: mcpBin('filesystem'), args: [documents, '/etc'], maxRetries: 0 } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const status = () => runtime.mcp.status().find((s) => s.name === 'files')!;
    expect(status(), status().error ?? '').toMatchObject({ state: 'connected', sandboxed: true });
    expect(status().unwritableFolders).toEqual([
      { folder: documents, seen: 'named', notOffered: null },
      { folder: '/etc', seen: 'named', notOffered: expect.stringMatching(/^It is not offered here: \/etc is a system folder\. If you really mean it, add the folder to "sandbox": \{ "allowWrite": \[\.\.\.\] \} of files in mcp\.json\.$/) },
    ]);

    const note = join(documents, 'drafts', 'todo.md');
    const refused = await runtime.callTool('files.write_file', { path: note, content: 'buy milk' });
    expect(refused.record.status).toBe('failed');
    expect(refused.record.error?.message).toMatch(/EROFS/);
    expect(refused.record.error?.message).toContain(`"Allow files to write ${join(documents, 'drafts')}" on the Tools & servers page lets it`);
    expect(existsSync(note)).toBe(false);
    // The refused write is recorded on the connection: its folder comes first, offered; the named one still is.
    expect(status().unwritableFolders).toEqual([
      { folder: join(documents, 'drafts'), seen: 'refused', notOffered: null },
      { folder: documents, seen: 'named', notOffered: null },
      expect.objectContaining({ folder: '/etc' }),
    ]);

    // Never one click away, whatever the page was made to ask: the data folder, a system folder.
    expect(await runtime.handlers['tools.allowWrite']({ name: 'files', folder: join(dataDir, 'logs') })).toEqual({ done: false, problems: [expect.stringContaining("inside Portcullis's data folder, which no server may write")] });
    expect(await runtime.handlers['tools.allowWrite']({ name: 'files', folder: '/etc' })).toEqual({ done: false, problems: [expect.stringContaining('/etc is a system folder')] });

    // The person allows it: mcp.json grants the folder, and the server restarts with it and can write there.
    expect(await runtime.handlers['tools.allowWrite']({ name: 'files', folder: documents })).toEqual({ done: true, problems: [] });
    expect(JSON.parse(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).mcpServers.files.sandbox).toEqual({ allowWrite: [documents] });
    const granted = await until('never restarted with the grant', status, (s) => s.state === 'connected' && s.sandboxGrants?.writable.includes(documents) === true);
    expect(granted.unwritableFolders).toEqual([expect.objectContaining({ folder: '/etc' })]);
    expect((await runtime.callTool('files.write_file', { path: note, content: 'buy milk' })).record.status).toBe('succeeded');
    expect(readFileSync(note, 'utf8')).toBe('buy milk');
    // Widening a sandbox from the page is on the audit chain (the refused grants are not: nothing changed).
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const grants = db.prepare("SELECT data_json FROM audit_log WHERE kind = 'sandbox.granted'").pluck().all() as string[];
    db.close();
    expect(grants.map((g) => JSON.parse(g))).toEqual([{ server: 'files', folder: documents }]);
    expect((await runtime.handlers['audit.verify']({})).ok).toBe(true);
  }, 60_000);
});
