import { useEffect, useState } from 'react';
import type { ApprovalRequest } from '../../../shared/domain/approval';
import { useApi } from '../../lib/api/ApiProvider';

/** How long the typing settles before the host is asked again: one question per pause, not per key. */
const SETTLE_MS = 250;
/** How often a warning shown is asked again while the dialog waits: the person may grant the folder meanwhile. */
const REASK_MS = 2_000;

/**
 * The request's warning that its server's sandbox will refuse the write, for the arguments that would run: the
 * request's own (worked out when it was asked) or, once the person edited them, those, asked of the host again
 * (`approvals.sandboxWarning`). A path edited into a folder the server may write loses the warning, and one edited
 * out of it gains it. Until the host answers, the last warning stays; so it does while the edit is not JSON.
 * While a warning is shown it is asked again every few seconds: the warning sends the person to grant the folder
 * on the Tools & servers page, and once they did it goes, where it went on telling them to grant it first.
 */
export function useSandboxWarning(request: ApprovalRequest, edit: { edited: false } | { edited: true; arguments: Record<string, unknown> | null }): string | null {
  const api = useApi();
  const [answered, setAnswered] = useState<{ key: string; warning: string | null } | null>(null);
  const [tick, setTick] = useState(0);
  const asked = edit.edited ? edit.arguments : request.sandboxWarning ? (request.arguments as Record<string, unknown>) : null;
  const key = asked !== null ? JSON.stringify(asked) : null;
  const shown = edit.edited ? (answered ? answered.warning : (request.sandboxWarning ?? null)) : answered?.key === key ? answered.warning : (request.sandboxWarning ?? null);

  useEffect(() => {
    if (key === null || shown === null) return;
    const timer = setInterval(() => setTick((n) => n + 1), REASK_MS);
    return () => clearInterval(timer);
  }, [key, shown]);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      api
        .invoke('approvals.sandboxWarning', { approvalId: request.id, arguments: JSON.parse(key) as Record<string, unknown> })
        .then(({ sandboxWarning }) => current && setAnswered({ key, warning: sandboxWarning }))
        // Answered or gone meanwhile: the dialog is on its way out, and what it said stays until then.
        .catch(() => undefined);
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, request.id, key, tick]);

  return shown;
}
