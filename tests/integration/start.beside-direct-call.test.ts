import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { claimDataFolder } from '../../src/core/runtime/data-folder-owner';
import { openDatabase } from '../../src/core/storage/database';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { TurnClaimStore } from '../../src/core/storage/stores/turn-claim-store';
import { gatedTool } from '../helpers/gated-tool';
import { tempDir } from '../helpers/temp-dir';
import { startTestRuntime } from '../helpers/test-runtime';
import { claimsFolder } from '../helpers/turn-claims';

/**
 * The app started while a `portcullis tools call` run without it (beside another owner of the folder) is still
 * running its call: the start leaves the call running, and ends only a killed process's.
 */
describe('the app started beside a portcullis tools call still running', () => {
  it('leaves that call running', async () => {
    const dataDir = tempDir();
    // Another process owns the folder when the command starts (a `portcullis chat`, say), and ends before the app starts.
    const earlierOwner = claimDataFolder(dataDir);
    const slow = gatedTool('slow.wait');
    const command = startTestRuntime({ dataDir, extraTools: [slow] });
    expect(command.runtime.ownsDataFolder).toBe(false);
    const call = command.runtime.callTool('slow.wait', {});
    await slow.began;
    earlierOwner.release();

    const app = startTestRuntime({ dataDir });
    expect(app.runtime.ownsDataFolder).toBe(true);

    const db = openDatabase(join(dataDir, 'portcullis.db'));
    const [stored] = db.prepare("SELECT id FROM tool_calls WHERE tool_name = 'slow.wait'").pluck().all() as string[];
    expect(new ToolCallStore(db).get(stored!)).toMatchObject({ status: 'running', error: null });
    slow.finish();
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
