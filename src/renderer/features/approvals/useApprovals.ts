import { useCallback, useEffect, useState } from 'react';
import type { ApprovalChoice, ApprovalDecisionExtras, ApprovalRequest } from '../../../shared/domain/approval';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';

export interface Approvals {
  pending: readonly ApprovalRequest[];
  /** Sends the person's choice; throws the host's error so the dialog can show it. */
  decide: (approvalId: string, choice: ApprovalChoice, note?: string, extras?: ApprovalDecisionExtras) => Promise<void>;
  /** One choice for several pending calls at once. */
  decideAll: (approvalIds: readonly string[], choice: 'allow_once' | 'deny') => Promise<void>;
}

/** The tool calls waiting for the person, kept in the order they were asked. */
export function useApprovals(): Approvals {
  const api = useApi();
  const { epoch } = useConnection();
  const [pending, setPending] = useState<readonly ApprovalRequest[]>([]);

  useEffect(() => {
    let live = true;
    api.invoke('approvals.pending', {}).then(
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
  }, [api, epoch]);

  useAppEvent('approval.requested', (request) => {
    setPending((current) => (current.some((r) => r.id === request.id) ? current : [...current, request]));
  });
  useAppEvent('approval.resolved', ({ approvalId }) => {
    setPending((current) => current.filter((r) => r.id !== approvalId));
  });

  const decide = useCallback(
    async (approvalId: string, choice: ApprovalChoice, note?: string, extras: ApprovalDecisionExtras = {}) => {
      const trimmed = note?.trim();
      await api.invoke('approvals.decide', { approvalId, choice, ...(trimmed ? { note: trimmed } : {}), ...extras });
      setPending((current) => current.filter((r) => r.id !== approvalId));
    },
    [api],
  );

  const decideAll = useCallback(
    async (approvalIds: readonly string[], choice: 'allow_once' | 'deny') => {
      const results = await api.invoke('approvals.decideMany', { approvalIds: [...approvalIds], choice });
      const done = new Set(results.map((r) => r.approvalId));
      setPending((current) => current.filter((r) => !done.has(r.id)));
    },
    [api],
  );

  return { pending, decide, decideAll };
}
