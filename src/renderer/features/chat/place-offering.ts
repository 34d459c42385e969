import type { PickerTrigger } from './useOfferingPicker';

/** The message box's text once a prompt or resource is put in, and where its cursor goes. */
export interface Placed {
  text: string;
  caret: number;
}

/**
 * Puts a prompt filled in or a resource read into the box's text as it is now, not as it was when Insert was
 * pressed: a server can take a while, and what the person typed meanwhile is kept. A prompt takes the place of
 * `/name`, a resource that of `@word`, on lines of its own; if the person changed that word, nothing is taken
 * out and the text goes in where it began. The cursor stays after what the person typed, else after the text.
 */
export function placeOffering(current: string, caret: number, trigger: PickerTrigger, inserted: string): Placed {
  if (trigger.kind === 'slash') {
    const typed = `/${trigger.query}`;
    const kept = current.startsWith(typed);
    const rest = kept ? current.slice(typed.length) : current && `\n${current}`;
    const text = `${inserted}${rest}`;
    const typedAfter = kept ? caret > typed.length : rest !== '';
    return { text, caret: typedAfter ? caret + text.length - current.length : inserted.length };
  }
  const word = `@${trigger.query}`;
  const start = Math.min(trigger.start, current.length);
  const end = current.slice(start, start + word.length) === word ? start + word.length : start;
  const before = current.slice(0, start);
  const block = `${before && !before.endsWith('\n') ? '\n' : ''}${inserted}\n`;
  // The block ends its line: a space after `@word` would start the next one.
  const after = current.slice(end).replace(/^ /, '');
  const text = `${before}${block}${after}`;
  const afterBlock = before.length + block.length;
  return { text, caret: caret > end ? Math.max(afterBlock, caret + text.length - current.length) : afterBlock };
}
