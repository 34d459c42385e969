import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { TurnClaimStore } from '../../src/core/storage/stores/turn-claim-store';
import { gatedTool } from '../helpers/gated-tool';
import { startTestRuntime } from '../helpers/test-runtime';

/**
 * A `portcullis tools call` (or an MCP client's call) made while this same process's chat turn holds the
 * conversation runs unclaimed at first; once that turn ends, the call still running takes the claim, so an app
 * started beside the process from then on leaves it running rather than marking it interrupted.
 */
describe('a direct call started while this process\'s chat turn holds its conversation', () => {
  it('claims the conversation once that turn ends', async () => {
    const chatTool = gatedTool('slow.chat');
    const callTool = gatedTool('slow.call');
    const t = startTestRuntime({ extraTools: [chatTool, callTool] });
    // The terminal's conversation of the day, made by a first call; the person then chats in it.
    const { conversationId } = await t.runtime.callTool('fs.list', { path: '.' });
    const turn = t.runtime.startTurn(conversationId, 'slow.chat {}');
    await chatTool.began;
    const call = t.runtime.callTool('slow.call', {});
    await callTool.began;

    chatTool.finish();
    await turn.done;
    const db = openDatabase(join(t.dataDir, 'portcullis.db'));
    const [callTurn] = db.prepare("SELECT turn_id FROM tool_calls WHERE tool_name = 'slow.call'").pluck().all() as string[];
    expect(new TurnClaimStore(db).holder(conversationId)).toMatchObject({ turnId: callTurn, instance: t.runtime.instance.id });

    callTool.finish();
    expect((await call).record.status).toBe('succeeded');
    expect(new TurnClaimStore(db).all()).toEqual([]);
    db.close();
  });
});
