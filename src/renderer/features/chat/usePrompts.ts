import { useEffect, useState } from 'react';
import type { McpPromptList } from '../../../shared/domain/mcp-prompt';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

/**
 * The MCP servers' prompts, asked for each time the composer's `/` list opens: servers change theirs as they like,
 * and a server that just connected should show its own.
 */
export function usePrompts(open: boolean): { list: McpPromptList | null; error: string | null } {
  const api = useApi();
  const [state, setState] = useState<{ list: McpPromptList | null; error: string | null }>({ list: null, error: null });
  useEffect(() => {
    if (!open) return;
    let active = true;
    setState({ list: null, error: null });
    api.invoke('prompts.list', {}).then(
      (list) => active && setState({ list, error: null }),
      (error: unknown) => active && setState({ list: null, error: `Could not list the servers' prompts. ${describeError(error)}` }),
    );
    return () => {
      active = false;
    };
  }, [api, open]);
  return state;
}

/** A prompt's name as the person reads it: its title when the server gave one. */
export const promptLabel = (prompt: { name: string; title?: string }) => prompt.title ?? prompt.name;
