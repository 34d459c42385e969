import { useEffect, useState, type KeyboardEvent } from 'react';
import { matchOfferings, type Offering } from './offerings';
import { useOfferings } from './useOfferings';

/**
 * The message box's `/` list of the servers' prompts and resources: open while the box holds only `/` and a word
 * (and no turn runs, none is being filled in, the person did not close it at this text); its matches, the one
 * chosen, and the keys that drive it.
 */
export function useOfferingPicker(text: string, busy: boolean) {
  /** The prompt being filled in, or the resource about to be read. */
  const [picked, setPicked] = useState<Offering | null>(null);
  /** The text at which the person closed the list: it stays closed until the text changes. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [chosen, setChosen] = useState(0);
  const query = /^\/(\S*)$/.exec(text)?.[1];
  const open = query !== undefined && !busy && picked === null && dismissed !== text;
  const offerings = useOfferings(open);
  const matches = open && offerings.list ? matchOfferings(offerings.list.offerings, query) : null;
  const active = matches?.length ? Math.min(chosen, matches.length - 1) : -1;

  useEffect(() => setChosen(0), [query]);

  /** ↑ ↓ choose an entry, Enter or Tab pick it, Esc closes the list; true when the key was the list's. */
  const onKey = (event: KeyboardEvent): boolean => {
    if (!open) return false;
    if (event.key === 'Escape') {
      event.preventDefault();
      setDismissed(text);
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
      setPicked(matches[active]!);
      return true;
    }
    return false;
  };

  return {
    open,
    matches,
    active,
    error: offerings.error,
    problems: offerings.list?.problems ?? [],
    picked,
    pick: setPicked,
    /** The picked entry was inserted, or cancelled (which also closes the list at this text). */
    done(cancelled: boolean) {
      if (cancelled) setDismissed(text);
      setPicked(null);
    },
    onKey,
  };
}
