import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe("a server's allowWrite that does not give what it reads as", () => {
  it('a path that does not exist, or a file, is said on its row, where it was listed under "writes" with no word', async () => {
    const dataDir = tempDir();
    const base = tempDir();
    const missing = join(base, 'not-made', 'dir');
    const file = join(base, 'afile.txt');
    const folder = join(base, 'folder');
    writeFileSync(file, 'first');
    mkdirSync(folder);
    writeMcpConfig(dataDir, { files: { command: mcpBin('filesystem'), args: [base], sandbox: { allowWrite: [missing, file, folder] }, maxRetries: 0 } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'files')!;
    expect(status, status.error ?? '').toMatchObject({ state: 'connected', sandboxed: true });
    expect(status.sandboxNote).toContain(`Its allowWrite names ${missing}, which does not exist, so it gives nothing: the sandbox grants only what is there when the server starts. Create it (or correct the path in mcp.json), then restart the server.`);
    expect(status.sandboxNote).toContain(`Its allowWrite names ${file}, a file, not a folder: it may change that file in place`);
    expect(status.sandboxNote).not.toContain(folder);
    // As the note says: server-filesystem saves a file whole (a new file renamed over it), which a file's grant refuses.
    const replaced = await runtime.callTool('files.write_file', { path: file, content: 'second' });
    expect(replaced.record.status).toBe('failed');
    expect(replaced.record.error?.message).toContain('EROFS');
    await runtime.dispose();
  }, 60_000);
});
