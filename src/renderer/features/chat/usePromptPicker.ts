import { useEffect, useState, type KeyboardEvent } from 'react';
import type { McpPrompt } from '../../../shared/domain/mcp-prompt';
import { usePrompts } from './usePrompts';

/**
 * The message box's `/` list: open while the box holds only `/` and a word (and no turn runs, no prompt is being
 * filled in, the person did not close it at this text); its matches, the one chosen, and the keys that drive it.
 */
export function usePromptPicker(text: string, busy: boolean) {
  /** The prompt being filled in. */
  const [picked, setPicked] = useState<McpPrompt | null>(null);
  /** The text at which the person closed the list: it stays closed until the text changes. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [chosen, setChosen] = useState(0);
  const query = /^\/(\S*)$/.exec(text)?.[1];
  const open = query !== undefined && !busy && picked === null && dismissed !== text;
  const prompts = usePrompts(open);
  const matches = open && prompts.list ? matchPrompts(prompts.list.prompts, query) : null;
  const active = matches?.length ? Math.min(chosen, matches.length - 1) : -1;

  useEffect(() => setChosen(0), [query]);

  /** ↑ ↓ choose a prompt, Enter or Tab pick it, Esc closes the list; true when the key was the list's. */
  const onKey = (event: KeyboardEvent): boolean => {
    if (!open) return false;
    if (event.key === 'Escape') {
      event.preventDefault();
      setDismissed(text);
      return true;
    }
    if (event.nativeEvent.isComposing) return false;
    // Enter or Tab before the list came would send the `/` text, or leave the box: they wait for it.
    if (matches === null && !prompts.error && (event.key === 'Enter' || event.key === 'Tab')) {
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
    error: prompts.error,
    problems: prompts.list?.problems ?? [],
    picked,
    pick: setPicked,
    /** The picked prompt was inserted, or cancelled (which also closes the list at this text). */
    done(cancelled: boolean) {
      if (cancelled) setDismissed(text);
      setPicked(null);
    },
    onKey,
  };
}

/** The prompts whose name, title or server contains `query`, ignoring case. */
export function matchPrompts(prompts: readonly McpPrompt[], query: string): McpPrompt[] {
  const q = query.toLowerCase();
  return prompts.filter((p) => [p.name, p.title ?? '', p.server].some((field) => field.toLowerCase().includes(q)));
}
