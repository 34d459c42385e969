import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { claimDataFolder } from '../../src/core/runtime/data-folder-owner';
import { openDatabase } from '../../src/core/storage/database';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { TurnClaimStore } from '../../src/core/storage/stores/turn-claim-store';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import type { ToolRunner } from '../../src/core/tools/tool-runner';
import { tempDir } from '../helpers/temp-dir';
import { startTestRuntime } from '../helpers/test-runtime';
import { claimsFolder } from '../helpers/turn-claims';

const slowTool: ToolDefinition = {
  name: 'slow.wait',
  description: 'Waits until the test lets it finish.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { title: 'Wait', readOnlyHint: true, openWorldHint: false },
  server: 'slow',
  sandboxed: true,
  describeCall: () => 'Wait',
};

/**
 * The app started while a `portcullis tools call` run without it (beside another owner of the folder) is still
 * running its call: the start leaves the call running, and ends only a killed process's.
 */
describe('the app started beside a portcullis tools call still running', () => {
  it('leaves that call running', async () => {
    const dataDir = tempDir();
    // Another process owns the folder when the command starts (a `portcullis chat`, say), and ends before the app starts.
    const earlierOwner = claimDataFolder(dataDir);
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let began: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (began = resolve));
    const runner: ToolRunner = { run: async () => (began(), await finished, { ok: true, result: { done: true } }), dispose() {} };
    const command = startTestRuntime({ dataDir, extraTools: [{ definition: slowTool, runner }] });
    expect(command.runtime.ownsDataFolder).toBe(false);
    const call = command.runtime.callTool('slow.wait', {});
    await running;
    earlierOwner.release();

    const app = startTestRuntime({ dataDir });
    expect(app.runtime.ownsDataFolder).toBe(true);

    const db = openDatabase(join(dataDir, 'portcullis.db'));
    const [stored] = db.prepare("SELECT id FROM tool_calls WHERE tool_name = 'slow.wait'").pluck().all() as string[];
    expect(new ToolCallStore(db).get(stored!)).toMatchObject({ status: 'running', error: null });
    finish();
    const { record } = await call;
    expect(record.status).toBe('succeeded');
    // Its claim is given up with its end.
    expect(new TurnClaimStore(db).all()).toEqual([]);
    db.close();
  });

  it('ends as interrupted the call of a process that was killed while it held its claim', () => {
    const { dataDir, db, ...folder } = claimsFolder(['killed']);
    folder.claimOfKilledProcess('killed', 'killed-turn');
    const running: ToolCallRecord = {
      id: 'killed-running', conversationId: 'killed', turnId: 'killed-turn', modelCallId: 'direct-killed-turn', toolName: 'slow.wait', arguments: {},
      decision: { effect: 'allow', ruleId: 'default.read-only', reason: 'reads' }, approval: null, status: 'running', error: null, startedAt: 1, endedAt: null,
    };
    new ToolCallStore(db).insert(running);
    db.close();

    startTestRuntime({ dataDir });

    const after = openDatabase(join(dataDir, 'portcullis.db'));
    expect(new ToolCallStore(after).get('killed-running')).toMatchObject({ status: 'failed', error: { code: 'TOOL_INTERRUPTED' } });
    after.close();
  });
});
