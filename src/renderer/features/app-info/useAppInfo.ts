import { useEffect, useState } from 'react';
import type { RequestOutput } from '../../../shared/api/contract';
import { useApi, useConnection } from '../../lib/api/ApiProvider';

export type AppInfo = RequestOutput<'app.info'>;

/** Version, workspace folder and model of the running host; null until known. */
export function useAppInfo(): AppInfo | null {
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
  }, [api, epoch]);
  return info;
}
