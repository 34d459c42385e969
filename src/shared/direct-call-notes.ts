import type { DirectCallTurns } from './direct-call-requests';
import type { Message } from './domain/message';

/**
 * The notes after direct calls ("…: no model took part; the card above shows the outcome.") that only repeat the one
 * drawn above them: a script's 30 calls of a day say it once, under the first, not 30 times. It is said again after
 * anything else (the person's own turn in that conversation) or when it says something else (another caller's). Over
 * the messages given: the chat's drawn ones, so the first call drawn says it though earlier ones are not shown; the
 * export's all. In the chat each call's Trace is on its request's line, so a note left out takes nothing away.
 */
export function repeatedDirectCallNotes(messages: readonly Message[], directCalls: Pick<DirectCallTurns, 'notes' | 'turns'>): Set<string> {
  const repeated = new Set<string>();
  let said: string | undefined;
  for (const message of messages) {
    if (directCalls.notes.has(message.id)) {
      if (message.content === said) repeated.add(message.id);
      said = message.content;
    } else if (!directCalls.turns.has(message.turnId)) {
      said = undefined;
    }
  }
  return repeated;
}
