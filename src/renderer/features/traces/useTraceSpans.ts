import { useEffect, useState } from 'react';
import type { SpanRecord } from '../../../shared/domain/span';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

export interface TraceSpans {
  spans: readonly SpanRecord[];
  loading: boolean;
  error: string | null;
}

const LIVE_REFRESH_MS = 1000;

/**
 * The spans of one trace; refreshed when its turn ends or persists a message, and every second while live.
 * Captured content comes only when `includeContent` is on (the content view), which needs `traces:content`.
 */
export function useTraceSpans(traceId: string | null, live: boolean, includeContent = false): TraceSpans {
  const api = useApi();
  const { epoch } = useConnection();
  const [spans, setSpans] = useState<readonly SpanRecord[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    setSpans([]);
    setError(null);
  }, [traceId]);

  useEffect(() => {
    if (!traceId) return;
    let active = true;
    setLoading(true);
    api.invoke('traces.spans', includeContent ? { traceId, includeContent } : { traceId }).then(
      (result) => {
        if (!active) return;
        setSpans(result);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!active) return;
        setError(`Could not load this trace. ${describeError(err)}`);
        setLoading(false);
      },
    );
    return () => {
      active = false;
    };
  }, [api, traceId, epoch, tick, includeContent]);

  useEffect(() => {
    if (!traceId || !live) return;
    const timer = setInterval(() => setTick((n) => n + 1), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [traceId, live]);

  useAppEvent('chat.turnEnded', (event) => {
    if (event.traceId === traceId) setTick((n) => n + 1);
  });
  useAppEvent('chat.message', (message) => {
    if (message.traceId === traceId) setTick((n) => n + 1);
  });

  return { spans, loading, error };
}
