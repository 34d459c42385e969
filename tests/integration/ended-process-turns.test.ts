import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseEndedHolders } from '../../src/core/runtime/ended-process-turns';
import { holdRuntimeInstance, type RuntimeInstance } from '../../src/core/runtime/runtime-instance';
import { openDatabase } from '../../src/core/storage/database';
import type { EndedTurn } from '../../src/core/storage/stores/tool-call-store';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { TurnClaimStore } from '../../src/core/storage/stores/turn-claim-store';
import { tempDir } from '../helpers/temp-dir';

describe("the owner's look for turns whose process ended", () => {
  const held: RuntimeInstance[] = [];
  afterEach(() => {
    for (const instance of held.splice(0)) instance.release();
  });

  it('ends and releases only the claims whose process is gone; a live one and its own stay', () => {
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    const claims = new TurnClaimStore(db);
    const conversations = new ConversationStore(db);
    for (const id of ['mine', 'live', 'killed']) conversations.create({ id, title: id, createdAt: 1, updatedAt: 1 });
    const owner = holdRuntimeInstance(dataDir);
    const other = holdRuntimeInstance(dataDir); // another process as the owner sees it: its lock file is held
    held.push(owner, other);
    const alwaysAlive = () => true;
    claims.claim('mine', { pid: owner.pid, instance: owner.id, turnId: 't-mine' }, 1, alwaysAlive);
    claims.claim('live', { pid: other.pid, instance: other.id, turnId: 't-live' }, 1, alwaysAlive);
    // A process killed with its claim held: its lock file was let go with it (here: never there).
    claims.claim('killed', { pid: 2_147_483_000, instance: '2147483000-deadbeef0000', turnId: 't-killed' }, 1, alwaysAlive);

    const ended: EndedTurn[] = [];
    releaseEndedHolders(claims, owner, (turn) => ended.push(turn));
    expect(ended).toEqual([{ conversationId: 'killed', turnId: 't-killed' }]);
    expect(claims.all().map((claim) => claim.conversationId).sort()).toEqual(['live', 'mine']);

    // Once that process ends too, its turn is ended at the next look; nothing is ended twice.
    other.release();
    releaseEndedHolders(claims, owner, (turn) => ended.push(turn));
    expect(ended).toEqual([{ conversationId: 'killed', turnId: 't-killed' }, { conversationId: 'live', turnId: 't-live' }]);
    expect(claims.all().map((claim) => claim.conversationId)).toEqual(['mine']);
    db.close();
  });
});
