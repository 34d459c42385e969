import { mkdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { startTestRuntime } from '../helpers/test-runtime';

describe('a workspace folder deleted while Portcullis runs', () => {
  it('each file tool says the folder is gone and what to do, not "something went wrong inside Portcullis"; put back, it works again', async () => {
    const { runtime, workspace } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    expect((await runtime.callTool('fs.list', { path: '.' })).record.status).toBe('succeeded');
    rmSync(workspace, { recursive: true });
    for (const [tool, args] of [['fs.list', { path: '.' }], ['fs.write', { path: 'a.txt', content: 'hi' }], ['fs.delete', { path: 'a.txt' }], ['fs.search', { query: 'hi' }]] as const) {
      const { record } = await runtime.callTool(tool, args);
      expect(record.error, tool).toMatchObject({ code: 'TOOL_FAILED', message: `The workspace folder ${workspace} is not there any more (moved or deleted while Portcullis ran). Put it back, or choose another in Settings → Workspace.` });
    }
    mkdirSync(workspace);
    expect((await runtime.callTool('fs.write', { path: 'a.txt', content: 'hi' })).record.status).toBe('succeeded');
  });
});
