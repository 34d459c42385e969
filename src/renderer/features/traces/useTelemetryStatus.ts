import { useEffect, useState } from 'react';
import type { TelemetryStatus } from '../../../shared/domain/trace';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';

/** The telemetry status (dropped spans, collector), refreshed after every turn; null until known. */
export function useTelemetryStatus(): TelemetryStatus | null {
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
    return () => {
      active = false;
    };
  }, [api, epoch, tick]);
  useAppEvent('chat.turnEnded', () => setTick((n) => n + 1));
  return status;
}
