import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { windowHolding, type RevealToolCall } from './reveal-tool-call';

/**
 * Brings the tool card `target` names into view once its conversation is drawn: draws enough earlier messages to
 * hold it (it may be older than the newest window), scrolls it to the middle, lets the list stop following the
 * newest end, and gives it the keyboard. Returns the call to mark as found (null until it is drawn).
 */
export function useRevealToolCall({
  target,
  messages,
  limit,
  setLimit,
  scroller,
  pinned,
}: {
  target: RevealToolCall | null;
  messages: Parameters<typeof windowHolding>[0];
  limit: number;
  setLimit: (limit: number) => void;
  scroller: RefObject<HTMLElement | null>;
  /** The list's "follow the newest end" flag: off once the card is shown, or the next render scrolls away from it. */
  pinned: { current: boolean };
}): string | null {
  const [found, setFound] = useState<string | null>(null);
  const shown = useRef<number | null>(null);
  // After every render until it is done: the messages load, then the window grows, then the card is marked.
  useLayoutEffect(() => {
    if (!target || shown.current === target.nonce) return;
    const needed = windowHolding(messages, target.toolCallId, limit);
    if (needed === null) return;
    if (needed > limit) {
      setLimit(needed);
      return;
    }
    if (found !== target.toolCallId) {
      setFound(target.toolCallId);
      return;
    }
    const card = scroller.current?.querySelector<HTMLElement>(`[data-tool-call-id="${CSS.escape(target.toolCallId)}"]`);
    if (!card) return;
    shown.current = target.nonce;
    pinned.current = false;
    card.scrollIntoView({ block: 'start' });
    card.focus({ preventScroll: true });
  });
  return target ? found : null;
}
