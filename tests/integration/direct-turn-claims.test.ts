import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock';
import { directTurnClaims } from '../../src/core/runtime/direct-turn-claims';
import { holdRuntimeInstance, type RuntimeInstance } from '../../src/core/runtime/runtime-instance';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { TurnClaimStore } from '../../src/core/storage/stores/turn-claim-store';
import { tempDir } from '../helpers/temp-dir';

describe('a direct call\'s turn claim', () => {
  const held: RuntimeInstance[] = [];
  afterEach(() => {
    for (const instance of held.splice(0)) instance.release();
  });

  it('goes, when the call ends, to another of this process\'s calls still running in the conversation, and is given up with the last', () => {
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    new ConversationStore(db).create({ id: 'mcp', title: 'Claude Desktop · MCP', createdAt: 1, updatedAt: 1 });
    const store = new TurnClaimStore(db);
    const instance = holdRuntimeInstance(dataDir);
    held.push(instance);
    const hold = directTurnClaims({ store, instance, clock: systemClock, isPrivate: () => false, endTurn: () => undefined });

    const releaseFirst = hold({ conversationId: 'mcp', turnId: 'first' });
    const releaseSecond = hold({ conversationId: 'mcp', turnId: 'second' });
    expect(store.holder('mcp')).toMatchObject({ turnId: 'first', instance: instance.id });
    releaseFirst();
    expect(store.holder('mcp')).toMatchObject({ turnId: 'second', instance: instance.id });
    releaseSecond();
    expect(store.all()).toEqual([]);
    db.close();
  });

  it('leaves a conversation another turn holds to it, and takes nothing back from it at its end', () => {
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    new ConversationStore(db).create({ id: 'chat', title: 'chat', createdAt: 1, updatedAt: 1 });
    const store = new TurnClaimStore(db);
    const instance = holdRuntimeInstance(dataDir);
    held.push(instance);
    store.claim('chat', { pid: instance.pid, instance: instance.id, turnId: 'persons-turn' }, 1, () => true);
    const release = directTurnClaims({ store, instance, clock: systemClock, isPrivate: () => false, endTurn: () => undefined })({ conversationId: 'chat', turnId: 'call' });
    expect(store.holder('chat')).toMatchObject({ turnId: 'persons-turn' });
    release();
    expect(store.holder('chat')).toMatchObject({ turnId: 'persons-turn' });
    db.close();
  });
});
