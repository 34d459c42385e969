import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { EventChannel } from '../../../shared/api/channels';
import type { EventPayload } from '../../../shared/api/contract';
import type { ApiClient } from './client';
import type { ConnectionStatus } from './connection';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi needs an <ApiProvider> above it');
  return client;
}

/** Calls the latest `listener` for every event on `channel` while the component is mounted. */
export function useAppEvent<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): void {
  const api = useApi();
  const latest = useRef(listener);
  useLayoutEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.on(channel, (payload) => latest.current(payload)), [api, channel]);
}

/** The transport's link state; `epoch` changes on every (re)connect. */
export function useConnection(): ConnectionStatus {
  const api = useApi();
  const [status, setStatus] = useState(api.connectionStatus);
  useEffect(() => {
    setStatus(api.connectionStatus);
    return api.onDidChangeConnection(setStatus);
  }, [api]);
  return status;
}
