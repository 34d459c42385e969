import { useCallback, useEffect, useRef } from 'react';

/**
 * A button that disables itself while its action is under way drops the keyboard to the page (a disabled element
 * cannot hold the focus), and a keyboard user then starts again from the top. Call the returned function as the
 * action starts: once `busy` is over, the element that had the focus gets it back, if it is still on the page and
 * nothing else took the focus meanwhile (the action may have moved it on, as an answered request does).
 */
export function useFocusKeptWhile(busy: boolean): () => void {
  const held = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (busy) return;
    const element = held.current;
    held.current = null;
    if (!element?.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    element.focus();
  }, [busy]);
  return useCallback(() => {
    held.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, []);
}
