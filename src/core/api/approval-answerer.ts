import { apiDecided } from '../../shared/approval-decider';
import { callerLabel } from '../auth/caller-label';
import type { Principal } from '../auth/scopes';

/**
 * Who answers an approval through `approvals.decide(Many)`: undefined for the person (the desktop window, their
 * browser session, an in-process caller), else the API caller as its requests are named (`api: key "nightly"`), so the
 * call's card says "approved by key "nightly"" and the model is not told the person denied it.
 */
export function approvalAnswerer(principal: Principal | undefined, keyName: (id: string) => string | undefined): string | undefined {
  if (!principal || principal.kind === 'desktop' || principal.kind === 'session') return undefined;
  return apiDecided(callerLabel(principal, keyName));
}
