import { useEffect, useState, type KeyboardEvent } from 'react';
import { matchOfferings, type Offering } from './offerings';
import { useOfferings } from './useOfferings';

/**
 * What opened the list: `/` and a word as the whole text (prompts and resources; the one picked replaces the text),
 * or `@` and a word just before the cursor (resources; the one picked is put in there, in place of `@word`).
 */
export type PickerTrigger = { kind: 'slash'; query: string } | { kind: 'at'; query: string; start: number; end: number };

/** The trigger at the cursor, if any. An `@` counts at the start or after a space, so a mail address does not open it. */
export function triggerAt(text: string, caret: number): PickerTrigger | undefined {
  const slash = /^\/(\S*)$/.exec(text);
  if (slash) return { kind: 'slash', query: slash[1]! };
  const at = /(?:^|\s)@([^\s@]*)$/.exec(text.slice(0, caret));
  if (at) return { kind: 'at', query: at[1]!, start: caret - at[1]!.length - 1, end: caret };
  return undefined;
}

/**
 * The message box's list of the servers' prompts and resources: open while a trigger is at the cursor (and no
 * turn runs, none is being filled in, the person did not close it at this text); its matches, the one chosen,
 * and the keys that drive it.
 */
export function useOfferingPicker(text: string, caret: number, busy: boolean) {
  /** The prompt being filled in, or the resource about to be read, with what opened the list for it. */
  const [picked, setPicked] = useState<{ offering: Offering; trigger: PickerTrigger } | null>(null);
  /** The text and cursor at which the person closed the list: it stays closed until either changes. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [chosen, setChosen] = useState(0);
  const trigger = triggerAt(text, caret);
  const at = `${caret}:${text}`;
  const open = trigger !== undefined && !busy && picked === null && dismissed !== at;
  const offerings = useOfferings(open);
  const candidates = trigger?.kind === 'at' ? offerings.list?.offerings.filter((o) => o.kind === 'resource') : offerings.list?.offerings;
  const matches = open && candidates ? matchOfferings(candidates, trigger.query) : null;
  const active = matches?.length ? Math.min(chosen, matches.length - 1) : -1;

  useEffect(() => setChosen(0), [trigger?.kind, trigger?.query]);

  const pick = (offering: Offering) => trigger && setPicked({ offering, trigger });

  /** ↑ ↓ choose an entry, Enter or Tab pick it, Esc closes the list; true when the key was the list's. */
  const onKey = (event: KeyboardEvent): boolean => {
    if (!open) return false;
    if (event.key === 'Escape') {
      event.preventDefault();
      setDismissed(at);
      return true;
    }
    if (event.nativeEvent.isComposing) return false;
    // Enter or Tab before the list came would send the `/` text, or leave the box: they wait for it.
    if (matches === null && !offerings.error && (event.key === 'Enter' || event.key === 'Tab')) {
      event.preventDefault();
      return true;
    }
    if (!matches?.length) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setChosen((active + step + matches.length) % matches.length);
      return true;
    }
    if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      event.preventDefault();
      pick(matches[active]!);
      return true;
    }
    return false;
  };

  return {
    open,
    /** What the list offers: prompts and resources after `/`, resources only after `@`. */
    kind: trigger?.kind ?? 'slash',
    matches,
    active,
    error: offerings.error,
    problems: offerings.list?.problems ?? [],
    picked,
    pick,
    /** The picked entry was inserted, or cancelled (which also closes the list at this text). */
    done(cancelled: boolean) {
      if (cancelled) setDismissed(at);
      setPicked(null);
    },
    onKey,
  };
}
