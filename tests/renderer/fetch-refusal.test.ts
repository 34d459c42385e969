import { describe, expect, it } from 'vitest';
import { hostOffFetchAllowlist } from '../../src/renderer/features/chat/fetch-refusal';

const refused = (message: string, toolName = 'http.fetch') => ({ toolName, error: { code: 'POLICY_DENIED', message } });

describe('the host a refused fetch offers to allow on Tools & servers', () => {
  it('is the one off the allowlist, whether the call or a redirect named it', () => {
    expect(hostOffFetchAllowlist(refused('http.fetch refused: example.com (from the call) is not on the http.fetch allowlist. If you trust it, add it under "Web access (http.fetch)" on the Tools & servers page (or to "allowedDomains" in /d/http-fetch.json).'))).toBe('example.com');
    expect(hostOffFetchAllowlist(refused('http.fetch refused: cdn.example.net (from a redirect from example.com) is not on the http.fetch allowlist. If you trust it, …'))).toBe('cdn.example.net');
  });

  it('is none for any other refusal or tool: an address or a private name is never one click away', () => {
    expect(hostOffFetchAllowlist(refused('http.fetch refused: 10.0.0.1 (from the call) is an IP address; http.fetch only reaches allowlisted domain names, never addresses.'))).toBeNull();
    expect(hostOffFetchAllowlist(refused('http.fetch refused: localhost (from the call) names this computer; http.fetch never reaches this computer or the local network (their addresses are refused, so a page or a model cannot reach the services inside).'))).toBeNull();
    expect(hostOffFetchAllowlist(refused('http.fetch refused: file: URLs (from the call) are not fetched; only http and https.'))).toBeNull();
    expect(hostOffFetchAllowlist(refused('example.com (from the call) is not on the http.fetch allowlist.', 'everything.fetch'))).toBeNull();
    expect(hostOffFetchAllowlist({ toolName: 'http.fetch', error: null })).toBeNull();
  });
});
