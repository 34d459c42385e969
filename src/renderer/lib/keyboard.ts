/** A field the person may be typing in: keys there (Esc, letters) belong to the field, not to the window. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return !target.disabled;
  if (target instanceof HTMLInputElement) return !target.disabled && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type);
  return target.isContentEditable;
}

/** Whether the key went to a modal dialog, which handles its own Esc. */
export function insideModal(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[aria-modal="true"]') !== null;
}
