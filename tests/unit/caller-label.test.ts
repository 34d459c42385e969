import { describe, expect, it } from 'vitest';
import { callerLabel, callerNameFirst } from '../../src/core/auth/caller-label';
import type { Principal } from '../../src/core/auth/scopes';

const keyName = (id: string) => (id === 'k1' ? 'nightly backup' : undefined);
const principal = (kind: Principal['kind'], id: string): Principal => ({ kind, id, scopes: ['tools'] });

describe("a caller's name for the title of its day's conversation", () => {
  it('puts its own name first, so the sidebar cutting a long title at its end still shows it', () => {
    expect(callerNameFirst(principal('api-key', 'key:k1'), keyName)).toBe('nightly backup · API key');
    expect(callerNameFirst(principal('jwt', 'jwt:ci-bot'), keyName)).toBe('ci-bot · JWT');
    expect(callerNameFirst(principal('api-key', 'key:gone'), keyName)).toBe('API key');
    // Not a script's credential: said as the request's header says it.
    expect(callerNameFirst(principal('session', 'session'), keyName)).toBe(`Local API (${callerLabel(principal('session', 'session'), keyName)})`);
  });
});
