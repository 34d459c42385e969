import { useEffect, useState } from 'react';
import type { TraceFilter, TraceSummary } from '../../../shared/domain/trace';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

/** Finished traces matching the filter, newest first; refreshed whenever a turn ends. */
export function useTraceList(filter: TraceFilter, enabled: boolean): { traces: readonly TraceSummary[]; error: string | null } {
  const api = useApi();
  const { epoch } = useConnection();
  const [traces, setTraces] = useState<readonly TraceSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(filter);

  useEffect(() => {
    if (!enabled) return;
    let active = true;
    api.invoke('traces.list', JSON.parse(key) as TraceFilter).then(
      (result) => {
        if (!active) return;
        setTraces(result);
        setError(null);
      },
      (err: unknown) => {
        if (active) setError(`Could not list traces. ${describeError(err)}`);
      },
    );
    return () => {
      active = false;
    };
  }, [api, key, enabled, epoch, tick]);

  useAppEvent('chat.turnEnded', () => setTick((n) => n + 1));
  return { traces, error };
}
