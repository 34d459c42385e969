import { useCallback, useEffect, useState } from 'react';
import type { PolicyStatus } from '../../../shared/domain/policy';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

/** The active policy, the person's "always allow" rules and revoking them. */
export function usePolicy() {
  const api = useApi();
  const { epoch } = useConnection();
  const [status, setStatus] = useState<PolicyStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setStatus(await api.invoke('policy.status', {}));
      setError(null);
    } catch (err) {
      setError(`Could not load the policy. ${describeError(err)}`);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh, epoch]);

  const revoke = useCallback(
    async (ruleId: string) => {
      try {
        await api.invoke('policy.rules.revoke', { ruleId });
      } catch (err) {
        setError(`The rule was not revoked. ${describeError(err)}`);
      }
      await refresh();
    },
    [api, refresh],
  );

  return { status, error, refresh, revoke };
}
