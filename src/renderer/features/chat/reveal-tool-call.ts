import type { Message } from '../../../shared/domain/message';

/** A tool card to show when its conversation opens (a search hit in its result); `nonce` tells a second opening apart. */
export interface RevealToolCall {
  toolCallId: string;
  nonce: number;
}

/**
 * How many of the newest messages to draw so that the tool message of `toolCallId` is among them: `limit`, or more
 * when it is older than the newest `limit`. Null while no message holds it (not loaded yet, or never had one).
 */
export function windowHolding(messages: readonly Message[], toolCallId: string, limit: number): number | null {
  const index = messages.findIndex((message) => message.toolCall?.id === toolCallId);
  if (index < 0) return null;
  return Math.max(limit, messages.length - index);
}
