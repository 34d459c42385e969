import { useCallback, useEffect, useState } from 'react';
import type { PolicyStatus } from '../../../shared/domain/policy';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

/** policy.yaml is edited outside the app and in force as soon as it is saved: the page reads it again this often. */
const REFRESH_MS = 3_000;

/** The active policy, the person's "always allow" rules and revoking them, kept current while shown. */
export function usePolicy() {
  const api = useApi();
  const { epoch } = useConnection();
  const [status, setStatus] = useState<PolicyStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Apart from the load error, so that the next read of the policy does not hide why a revoke failed.
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setStatus(await api.invoke('policy.status', {}));
      setLoadError(null);
    } catch (err) {
      setLoadError(`Could not load the policy. ${describeError(err)}`);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh, epoch]);

  // Fixed in an editor, the file is read again when the person comes back to the window, and every few seconds.
  useEffect(() => {
    const reread = () => void refresh();
    const timer = setInterval(reread, REFRESH_MS);
    window.addEventListener('focus', reread);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', reread);
    };
  }, [refresh]);

  /** Resolves whether the rule was revoked. */
  const revoke = useCallback(
    async (ruleId: string): Promise<boolean> => {
      setRevokeError(null);
      let revoked = true;
      try {
        await api.invoke('policy.rules.revoke', { ruleId });
      } catch (err) {
        revoked = false;
        setRevokeError(`The rule was not revoked. ${describeError(err)}`);
      }
      await refresh();
      return revoked;
    },
    [api, refresh],
  );

  return { status, loadError, revokeError, refresh, revoke };
}
