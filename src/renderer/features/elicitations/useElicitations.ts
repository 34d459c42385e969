import { useCallback } from 'react';
import type { ElicitationAnswer, ElicitationRequest } from '../../../shared/domain/elicitation';
import { AppError } from '../../../shared/errors';
import { useApi, useAppEvent } from '../../lib/api/ApiProvider';
import { usePendingRequests } from '../../lib/use-pending-requests';
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
  const { pending, add, drop } = usePendingRequests((client) => client.invoke('elicitations.pending', {}));
  useAppEvent('elicitation.requested', add);
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
