import type { Message } from '../../shared/domain/message';

/**
 * The messages with each turn's kept together, turns in the order they began. A chat's turns never overlap (one
 * runs at a time in a conversation), but the direct calls of one MCP client session do: two calls at once store
 * "asked, asked, answered, answered", and read in that order each result would be paired with the other call
 * (`answerEveryToolCall` pairs a result with the call still open). Stable within a turn.
 */
export function inTurnOrder<T extends Pick<Message, 'turnId'>>(messages: readonly T[]): T[] {
  const turns = new Map<string, T[]>();
  for (const message of messages) {
    const turn = turns.get(message.turnId);
    if (turn) turn.push(message);
    else turns.set(message.turnId, [message]);
  }
  return [...turns.values()].flat();
}
