import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

function focusables(node: HTMLElement): HTMLElement[] {
  return [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !(el as HTMLInputElement).disabled && el.getClientRects().length > 0);
}

/** The first control of a form inside the dialog, else its first button: where the keyboard starts. */
function firstControl(node: HTMLElement): HTMLElement | undefined {
  return node.querySelector<HTMLElement>('form :is(input, select, textarea):not(:disabled)') ?? focusables(node)[0];
}

/**
 * Keeps the keyboard inside a modal dialog while it is shown: its first field takes the focus, Tab wraps around
 * inside it, and focus wandering out (another part of the window taking it) is brought back. When the dialog
 * is hidden or closed while it had the focus, `giveBack` is called with what had the focus before it opened.
 * Returns the dialog's key handler, for Tab.
 */
export function useModalFocus(dialog: RefObject<HTMLElement | null>, shown: boolean, giveBack: (opener: HTMLElement | null) => void): (event: KeyboardEvent<HTMLElement>) => void {
  const opener = useRef<HTMLElement | null>(null);
  const latestGiveBack = useRef(giveBack);
  useLayoutEffect(() => {
    latestGiveBack.current = giveBack;
  });

  useEffect(() => {
    const node = dialog.current;
    if (!shown || !node) return;
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body && !node.contains(active)) opener.current = active;
    // After the frame: a dialog that just closed (an approval) hands its focus on in one too.
    const frame = requestAnimationFrame(() => firstControl(node)?.focus());
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && !node.contains(event.target)) firstControl(node)?.focus();
    };
    document.addEventListener('focusin', onFocusIn);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('focusin', onFocusIn);
      const now = document.activeElement;
      if (now === null || now === document.body || node.contains(now)) latestGiveBack.current(opener.current);
    };
  }, [dialog, shown]);

  return (event) => {
    const node = dialog.current;
    if (event.key !== 'Tab' || !node) return;
    const all = focusables(node);
    const first = all[0];
    const last = all[all.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };
}
