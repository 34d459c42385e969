import { useCallback, useEffect, useState } from 'react';
import type { ElicitationAnswer, ElicitationRequest } from '../../../shared/domain/elicitation';
import { AppError } from '../../../shared/errors';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

export interface Elicitations {
  /** The questions MCP servers wait on, oldest first. */
  pending: readonly ElicitationRequest[];
  /** Sends the person's answer; resolves with what went wrong (the question stays open then), or null. */
  answer: (elicitationId: string, answer: ElicitationAnswer) => Promise<string | null>;
}

/** The questions MCP servers are asking the person mid-call (MCP elicitation), kept in the order they were asked. */
export function useElicitations(): Elicitations {
  const api = useApi();
  const { epoch } = useConnection();
  const [pending, setPending] = useState<readonly ElicitationRequest[]>([]);

  useEffect(() => {
    let live = true;
    api.invoke('elicitations.pending', {}).then(
      (requests) => {
        if (!live) return;
        setPending((current) => {
          const known = new Set(requests.map((r) => r.id));
          // Keep any question that arrived by event while the list was loading.
          return [...requests, ...current.filter((r) => !known.has(r.id))].sort((a, b) => a.requestedAt - b.requestedAt);
        });
      },
      () => undefined, // The connection banner already says when the host cannot be reached.
    );
    return () => {
      live = false;
    };
  }, [api, epoch]);

  const drop = useCallback((elicitationId: string) => {
    setPending((current) => current.filter((r) => r.id !== elicitationId));
  }, []);

  useAppEvent('elicitation.requested', (request) => {
    setPending((current) => (current.some((r) => r.id === request.id) ? current : [...current, request]));
  });
  useAppEvent('elicitation.resolved', ({ elicitationId }) => drop(elicitationId));

  const answer = useCallback(
    async (elicitationId: string, answer: ElicitationAnswer) => {
      try {
        await api.invoke('elicitations.answer', { elicitationId, answer });
      } catch (error) {
        // Already ended (answered elsewhere, timed out, withdrawn): there is nothing left to answer.
        if (error instanceof AppError && error.code === 'NOT_FOUND') drop(elicitationId);
        return `Your answer was not sent. ${describeError(error)}`;
      }
      drop(elicitationId);
      return null;
    },
    [api, drop],
  );

  return { pending, answer };
}
