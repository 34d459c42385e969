import { describe, expect, it } from 'vitest';
import { releaseEndedHolders } from '../../src/core/runtime/ended-process-turns';
import type { EndedTurn } from '../../src/core/storage/stores/tool-call-store';
import { claimsFolder } from '../helpers/turn-claims';

describe("the owner's look for turns whose process ended", () => {
  it('ends and releases only the claims whose process is gone; a live one and its own stay', () => {
    const folder = claimsFolder(['mine', 'live', 'killed']);
    const { claims } = folder;
    const owner = folder.liveProcess();
    const other = folder.liveProcess(); // another process as the owner sees it: its lock file is held
    folder.claimFor('mine', owner, 't-mine');
    folder.claimFor('live', other, 't-live');
    folder.claimOfKilledProcess('killed', 't-killed');

    const ended: EndedTurn[] = [];
    releaseEndedHolders(claims, owner, (turn) => ended.push(turn));
    expect(ended).toEqual([{ conversationId: 'killed', turnId: 't-killed' }]);
    expect(claims.all().map((claim) => claim.conversationId).sort()).toEqual(['live', 'mine']);

    // Once that process ends too, its turn is ended at the next look; nothing is ended twice.
    other.release();
    releaseEndedHolders(claims, owner, (turn) => ended.push(turn));
    expect(ended).toEqual([{ conversationId: 'killed', turnId: 't-killed' }, { conversationId: 'live', turnId: 't-live' }]);
    expect(claims.all().map((claim) => claim.conversationId)).toEqual(['mine']);
    folder.db.close();
  });
});
