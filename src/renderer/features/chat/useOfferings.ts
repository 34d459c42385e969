import { useEffect, useState } from 'react';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import type { Offering } from './offerings';

export interface Offerings {
  offerings: Offering[];
  /** Servers that could not say theirs just now, and why. */
  problems: string[];
}

/**
 * The MCP servers' prompts and resources, asked for each time the composer's `/` list opens (the host keeps each
 * server's lists; a server that just connected shows its own). Either list failing leaves the other shown.
 */
export function useOfferings(open: boolean): { list: Offerings | null; error: string | null } {
  const api = useApi();
  const [state, setState] = useState<{ list: Offerings | null; error: string | null }>({ list: null, error: null });
  useEffect(() => {
    if (!open) return;
    let active = true;
    setState({ list: null, error: null });
    void Promise.allSettled([api.invoke('prompts.list', {}), api.invoke('resources.list', {})]).then(([prompts, resources]) => {
      if (!active) return;
      if (prompts.status === 'rejected' && resources.status === 'rejected') {
        setState({ list: null, error: `Could not list the servers' prompts and resources. ${describeError(prompts.reason)}` });
        return;
      }
      const offerings: Offering[] = [];
      const problems: string[] = [];
      if (prompts.status === 'fulfilled') {
        offerings.push(...prompts.value.prompts.map((prompt) => ({ kind: 'prompt' as const, ...prompt })));
        problems.push(...prompts.value.problems);
      } else problems.push(`Could not list the servers' prompts. ${describeError(prompts.reason)}`);
      if (resources.status === 'fulfilled') {
        offerings.push(...resources.value.resources.map((resource) => ({ kind: 'resource' as const, ...resource })));
        problems.push(...resources.value.problems);
      } else problems.push(`Could not list the servers' resources. ${describeError(resources.reason)}`);
      setState({ list: { offerings, problems }, error: null });
    });
    return () => {
      active = false;
    };
  }, [api, open]);
  return state;
}
