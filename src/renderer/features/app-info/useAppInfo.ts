import { useEffect, useState } from 'react';
import type { RequestOutput } from '../../../shared/api/contract';
import { useApi, useConnection } from '../../lib/api/ApiProvider';

export type AppInfo = RequestOutput<'app.info'>;

/**
 * Version, workspace folder and model of the running host; null until known. Asked again when `refreshKey`
 * changes (a model saved in Settings), so the first screen does not go on naming the one before it.
 */
export function useAppInfo(refreshKey: unknown = null): AppInfo | null {
  const api = useApi();
  const { epoch } = useConnection();
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    api.invoke('app.info', {}).then(
      (result) => {
        if (live) setInfo(result);
      },
      () => undefined, // The connection banner already says when the host cannot be reached.
    );
    return () => {
      live = false;
    };
  }, [api, epoch, refreshKey]);
  return info;
}
