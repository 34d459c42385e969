import { useEffect, useState } from 'react';
import type { TelemetryStatus } from '../../../shared/domain/trace';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';

export interface TelemetryStatusState {
  /** Null until known. */
  status: TelemetryStatus | null;
  /** Takes a status the host just answered with (after a change), without asking again. */
  setStatus: (status: TelemetryStatus) => void;
}

/**
 * The telemetry status (capture mode, collector, stored, sent and dropped spans), refreshed after every turn and,
 * with `refreshMs`, that often too (the counts move while spans are sent in the background).
 */
export function useTelemetryStatus(refreshMs?: number): TelemetryStatusState {
  const api = useApi();
  const { epoch } = useConnection();
  const [status, setStatus] = useState<TelemetryStatus | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let active = true;
    api.invoke('telemetry.status', {}).then(
      (result) => active && setStatus(result),
      () => undefined, // The connection banner already reports an unreachable host.
    );
    const next = refreshMs ? setTimeout(() => setTick((n) => n + 1), refreshMs) : undefined;
    return () => {
      active = false;
      clearTimeout(next);
    };
  }, [api, epoch, tick, refreshMs]);
  useAppEvent('chat.turnEnded', () => setTick((n) => n + 1));
  return { status, setStatus };
}
