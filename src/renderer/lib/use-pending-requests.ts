import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from './api/client';
import { useApi, useConnection } from './api/ApiProvider';

/**
 * Requests waiting for the person (approvals, servers' questions), oldest first: loaded from the host at start and
 * after each reconnect, then kept in step by the caller's events through `add` and `drop`.
 */
export function usePendingRequests<T extends { id: string; requestedAt: number }>(load: (api: ApiClient) => Promise<readonly T[]>) {
  const api = useApi();
  const { epoch } = useConnection();
  const [pending, setPending] = useState<readonly T[]>([]);

  useEffect(() => {
    let live = true;
    load(api).then(
      (requests) => {
        if (!live) return;
        setPending((current) => {
          const known = new Set(requests.map((r) => r.id));
          // Keep any request that arrived by event while the list was loading.
          return [...requests, ...current.filter((r) => !known.has(r.id))].sort((a, b) => a.requestedAt - b.requestedAt);
        });
      },
      () => undefined, // The connection banner already says when the host cannot be reached.
    );
    return () => {
      live = false;
    };
    // `load` names a channel; only a new client or a reconnect calls for loading again.
  }, [api, epoch]);

  const add = useCallback((request: T) => setPending((current) => (current.some((r) => r.id === request.id) ? current : [...current, request])), []);
  const drop = useCallback((...ids: string[]) => setPending((current) => current.filter((r) => !ids.includes(r.id))), []);
  return { pending, add, drop };
}
