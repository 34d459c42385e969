import type { Message } from '../../../shared/domain/message';

/**
 * What to show when a conversation opens from a search hit: a message, or the card of a tool call (a hit in its
 * result). `nonce` tells a second opening of the same hit apart, so it is shown again.
 */
export interface RevealTarget {
  kind: 'message' | 'tool_call';
  id: string;
  nonce: number;
}

/** The message that holds the target: itself, or the tool message of its call. -1 while none does (not loaded yet). */
export function indexOfTarget(messages: readonly Message[], target: Pick<RevealTarget, 'kind' | 'id'>): number {
  return messages.findIndex((message) => (target.kind === 'message' ? message.id === target.id : message.toolCall?.id === target.id));
}

/**
 * How many of the newest messages to draw so that the target's message is among them: `limit`, or more when it is
 * older than the newest `limit`. Null while no message holds it.
 */
export function windowHolding(messages: readonly Message[], target: Pick<RevealTarget, 'kind' | 'id'>, limit: number): number | null {
  const index = indexOfTarget(messages, target);
  return index < 0 ? null : Math.max(limit, messages.length - index);
}
