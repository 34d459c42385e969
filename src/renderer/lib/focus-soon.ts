import type { RefObject } from 'react';

/** Focuses the element on the next frame: after React has drawn the change that puts it (back) on the page. */
export function focusSoon(ref: RefObject<HTMLElement | null>): void {
  requestAnimationFrame(() => ref.current?.focus());
}
