import type { KeyboardEvent } from 'react';
import { insideModal } from './keyboard';

const MARK = 'data-escape-closes';

/**
 * The props of a place Esc closes (Settings, Tools & servers, Policies, Traces, and the button that toggles one
 * while it is open): an Esc pressed anywhere inside closes it, unless something inside used the key first (a filter
 * clearing itself prevents it) or it was pressed in a multi-line editor, where closing would throw away the text
 * being written.
 */
export function escapeCloses(close: () => void) {
  return { [MARK]: '', onKeyDown: closesOnEscape(close) };
}

/** Whether the key went to a place that handles its own Esc (see `escapeCloses`). */
export function insidePlace(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(`[${MARK}]`) !== null;
}

function closesOnEscape(close: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || event.nativeEvent.isComposing) return;
    if (insideModal(event.target) || event.target instanceof HTMLTextAreaElement || clearsItself(event.target)) return;
    event.preventDefault();
    close();
  };
}

/** A search box with text in it: the browser empties it on Esc, and that comes first. */
function clearsItself(target: EventTarget): boolean {
  return target instanceof HTMLInputElement && target.type === 'search' && target.value !== '';
}
