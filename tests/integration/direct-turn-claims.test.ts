import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock';
import { crossProcessTurnClaims } from '../../src/core/runtime/cross-process-turn-claims';
import { directTurnClaims } from '../../src/core/runtime/direct-turn-claims';
import { claimsFolder } from '../helpers/turn-claims';

describe('a direct call\'s turn claim', () => {
  it('goes, when the call ends, to another of this process\'s calls still running in the conversation, and is given up with the last', () => {
    const { db, claims: store, ...folder } = claimsFolder(['mcp']);
    const instance = folder.liveProcess();
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
    const { db, claims: store, ...folder } = claimsFolder(['chat']);
    const instance = folder.liveProcess();
    folder.claimFor('chat', instance, 'persons-turn');
    const release = directTurnClaims({ store, instance, clock: systemClock, isPrivate: () => false, endTurn: () => undefined })({ conversationId: 'chat', turnId: 'call' });
    expect(store.holder('chat')).toMatchObject({ turnId: 'persons-turn' });
    release();
    expect(store.holder('chat')).toMatchObject({ turnId: 'persons-turn' });
    db.close();
  });

  it('is taken by a call still running once this process\'s chat turn in its conversation ends, either way round', () => {
    const { db, claims: store, ...folder } = claimsFolder(['chat']);
    const instance = folder.liveProcess();
    const deps = { store, instance, clock: systemClock, isPrivate: () => false, endTurn: () => undefined };
    const direct = directTurnClaims(deps);
    const claims = crossProcessTurnClaims(deps, direct.released);

    // The person's turn first, the call started while it runs.
    claims.claim('chat', 'persons-turn');
    const releaseCall = direct({ conversationId: 'chat', turnId: 'call' });
    claims.release('chat', 'persons-turn');
    expect(store.holder('chat')).toMatchObject({ turnId: 'call', instance: instance.id });
    // The call first, the person's turn started while it runs (a turn of this process takes its claim over).
    claims.claim('chat', 'next-turn');
    expect(store.holder('chat')).toMatchObject({ turnId: 'next-turn' });
    claims.release('chat', 'next-turn');
    expect(store.holder('chat')).toMatchObject({ turnId: 'call' });
    releaseCall();
    expect(store.all()).toEqual([]);
    db.close();
  });
});
