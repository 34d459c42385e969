import { useEffect, useState } from 'react';
import type { McpPrompt } from '../../../shared/domain/mcp-prompt';
import { useApi } from '../../lib/api/ApiProvider';

/** How long typing pauses before the server is asked: one request per pause, not per key. */
const PAUSE_MS = 150;

/**
 * The values a prompt's server suggests for `argument` while the person types in it (`active`), given what was
 * typed and the other arguments filled in; none from a server that does not complete, or when asking fails.
 */
export function usePromptCompletions(prompt: McpPrompt, argument: string, value: string, filledIn: Record<string, string>, active: boolean): string[] {
  const api = useApi();
  const [suggestions, setSuggestions] = useState<string[]>([]);
  // The other arguments, as a key that changes only when they do.
  const context = JSON.stringify(Object.fromEntries(Object.entries(filledIn).filter(([name, v]) => name !== argument && v !== '')));
  useEffect(() => {
    if (!prompt.completes || !active) return;
    let live = true;
    const timer = setTimeout(() => {
      api
        .invoke('prompts.complete', { server: prompt.server, name: prompt.name, argument, value, arguments: JSON.parse(context) as Record<string, string> })
        .then(
          ({ values }) => live && setSuggestions(values),
          () => live && setSuggestions([]), // a suggestion is a help, not a step: the field still takes any value
        );
    }, PAUSE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, prompt.server, prompt.name, prompt.completes, argument, value, context, active]);
  return suggestions;
}
