import { useCallback } from 'react';
import type { ApprovalChoice, ApprovalDecisionExtras, ApprovalRequest } from '../../../shared/domain/approval';
import { useApi, useAppEvent } from '../../lib/api/ApiProvider';
import { usePendingRequests } from '../../lib/use-pending-requests';

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
  const { pending, add, drop } = usePendingRequests((client) => client.invoke('approvals.pending', {}));
  useAppEvent('approval.requested', add);
  useAppEvent('approval.resolved', ({ approvalId }) => drop(approvalId));

  const decide = useCallback(
    async (approvalId: string, choice: ApprovalChoice, note?: string, extras: ApprovalDecisionExtras = {}) => {
      const trimmed = note?.trim();
      await api.invoke('approvals.decide', { approvalId, choice, ...(trimmed ? { note: trimmed } : {}), ...extras });
      drop(approvalId);
    },
    [api, drop],
  );

  const decideAll = useCallback(
    async (approvalIds: readonly string[], choice: 'allow_once' | 'deny') => {
      const results = await api.invoke('approvals.decideMany', { approvalIds: [...approvalIds], choice });
      drop(...results.map((r) => r.approvalId));
    },
    [api, drop],
  );

  return { pending, decide, decideAll };
}
