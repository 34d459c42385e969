import { useEffect, useState } from 'react';
import type { ApprovalRequest } from '../../../shared/domain/approval';
import { useApi } from '../../lib/api/ApiProvider';

/** How long the typing settles before the host is asked again: one question per pause, not per key. */
const SETTLE_MS = 250;

/**
 * The request's warning that its server's sandbox will refuse the write, for the arguments that would run: the
 * request's own (worked out when it was asked) or, once the person edited them, those, asked of the host again
 * (`approvals.sandboxWarning`). A path edited into a folder the server may write loses the warning, and one edited
 * out of it gains it. Until the host answers, the last warning stays; so it does while the edit is not JSON.
 */
export function useSandboxWarning(request: ApprovalRequest, edit: { edited: false } | { edited: true; arguments: Record<string, unknown> | null }): string | null {
  const api = useApi();
  const [forEdit, setForEdit] = useState<{ key: string; warning: string | null } | null>(null);
  const key = edit.edited && edit.arguments !== null ? JSON.stringify(edit.arguments) : null;

  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      api
        .invoke('approvals.sandboxWarning', { approvalId: request.id, arguments: JSON.parse(key) as Record<string, unknown> })
        .then(({ sandboxWarning }) => current && setForEdit({ key, warning: sandboxWarning }))
        // Answered or gone meanwhile: the dialog is on its way out, and what it said stays until then.
        .catch(() => undefined);
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, request.id, key]);

  if (!edit.edited || !forEdit) return request.sandboxWarning ?? null;
  return forEdit.warning;
}
