import { useCallback, useEffect, useState } from 'react';
import type { ToolCatalog } from '../../../shared/domain/tool-catalog';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { ACTION_WORDS, type ServerAction } from './ServerRow';

const REFRESH_MS = 2_000;

/** Every tool and MCP server, refreshed while shown (servers start, fail and restart on their own). */
export function useToolCatalog() {
  const api = useApi();
  const { epoch } = useConnection();
  const [catalog, setCatalog] = useState<ToolCatalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let active = true;
    api.invoke('tools.catalog', {}).then(
      (result) => active && (setCatalog(result), setError(null)),
      (err: unknown) => active && setError(`Could not load the tools. ${describeError(err)}`),
    );
    return () => {
      active = false;
    };
  }, [api, epoch, tick]);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const decideChange = useCallback(
    async (name: string, decision: 'approve' | 'reject') => {
      try {
        await (decision === 'approve' ? api.invoke('tools.approveChange', { name }) : api.invoke('tools.rejectChange', { name }));
      } catch (err) {
        setError(`Could not ${decision} ${name}. ${describeError(err)}`);
      }
      setTick((n) => n + 1);
    },
    [api],
  );

  const controlServer = useCallback(
    async (name: string, action: ServerAction) => {
      try {
        const { problems } = await api.invoke('tools.controlServer', { name, action });
        setError(problems.length > 0 ? problems.join(' ') : null);
      } catch (err) {
        setError(`Could not ${ACTION_WORDS[action]} ${name}. ${describeError(err)}`);
      }
      setTick((n) => n + 1);
    },
    [api],
  );

  const allowDomain = useCallback(
    async (name: string, domain: string) => {
      try {
        const { problems } = await api.invoke('tools.allowDomain', { name, domain });
        setError(problems.length > 0 ? problems.join(' ') : null);
      } catch (err) {
        setError(`Could not let ${name} reach ${domain}. ${describeError(err)}`);
      }
      setTick((n) => n + 1);
    },
    [api],
  );

  const refresh = useCallback(() => setTick((n) => n + 1), []);

  return { catalog, error, decideChange, controlServer, allowDomain, refresh };
}
