import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { Message } from '../../../shared/domain/message';
import { indexOfTarget, windowHolding, type RevealTarget } from './reveal-target';

/**
 * Brings the message or tool card `target` names into view once its conversation is drawn: draws enough earlier
 * messages to hold it (it may be older than the newest window), marks it, scrolls it to the top of the list, lets
 * the list stop following the newest end, and gives it the keyboard. Returns the id of the message to mark (the
 * tool message, for a card), null until it is drawn.
 */
export function useRevealTarget({
  target,
  messages,
  limit,
  setLimit,
  scroller,
  pinned,
}: {
  target: RevealTarget | null;
  messages: readonly Message[];
  limit: number;
  setLimit: (limit: number) => void;
  scroller: RefObject<HTMLElement | null>;
  /** The list's "follow the newest end" flag: off once the target is shown, or the next render scrolls away from it. */
  pinned: { current: boolean };
}): string | null {
  const [found, setFound] = useState<string | null>(null);
  const shown = useRef<number | null>(null);
  // After every render until it is done: the messages load, then the window grows, then the target is marked.
  useLayoutEffect(() => {
    if (!target || shown.current === target.nonce) return;
    const needed = windowHolding(messages, target, limit);
    if (needed === null) return;
    if (needed > limit) {
      setLimit(needed);
      return;
    }
    const messageId = messages[indexOfTarget(messages, target)]!.id;
    if (found !== messageId) {
      setFound(messageId);
      return;
    }
    const attribute = target.kind === 'message' ? 'data-message-id' : 'data-tool-call-id';
    const element = scroller.current?.querySelector<HTMLElement>(`[${attribute}="${CSS.escape(target.id)}"]`);
    if (!element) return;
    shown.current = target.nonce;
    pinned.current = false;
    element.scrollIntoView({ block: 'start' });
    element.focus({ preventScroll: true });
  });
  return target ? found : null;
}
