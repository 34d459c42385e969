import { describe, expect, it } from 'vitest';
import { McpOAuthProvider } from '../../src/core/mcp/oauth/mcp-oauth-provider';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { MemorySecretStore } from '../helpers/mcp';

const redirect = 'http://127.0.0.1:1/oauth/callback/hosted';
const tokens = { access_token: 'canary-access', token_type: 'bearer' };

describe("a remote server's OAuth client", () => {
  it('offers the page a sign-in link only when it is a web address', () => {
    const provider = new McpOAuthProvider('hosted', redirect);
    expect(() => provider.redirectToAuthorization(new URL('javascript:alert(document.cookie)'))).toThrow(/not a web address/);
    expect(provider.signInUrl).toBeNull();
    provider.redirectToAuthorization(new URL('https://auth.example.com/authorize?state=x'));
    expect(provider.signInUrl).toBe('https://auth.example.com/authorize?state=x');
  });

  it('keeps its tokens in the keychain, and only in memory when the keychain fails', async () => {
    const keychain = new MemorySecretStore();
    await new McpOAuthProvider('hosted', redirect, keychain).saveTokens(tokens);
    expect(await new McpOAuthProvider('hosted', redirect, keychain).tokens()).toEqual(tokens); // a later start finds them

    const broken: SecretStore = { get: () => Promise.reject(new Error('no keychain')), set: () => Promise.reject(new Error('no keychain')), delete: () => Promise.reject(new Error('no keychain')), list: async () => [] };
    const provider = new McpOAuthProvider('hosted', redirect, broken);
    await provider.saveTokens(tokens);
    expect(await provider.tokens()).toEqual(tokens);
    expect(await new McpOAuthProvider('hosted', redirect, broken).tokens()).toBeUndefined(); // gone with this run
  });

  it('registers again when its saved registration names another callback (an earlier run, another port)', async () => {
    const keychain = new MemorySecretStore();
    await new McpOAuthProvider('hosted', 'http://127.0.0.1:2/oauth/callback/hosted', keychain).saveClientInformation({ client_id: 'c', redirect_uris: ['http://127.0.0.1:2/oauth/callback/hosted'] });
    expect(await new McpOAuthProvider('hosted', redirect, keychain).clientInformation()).toBeUndefined();
    expect(await new McpOAuthProvider('hosted', 'http://127.0.0.1:2/oauth/callback/hosted', keychain).clientInformation()).toMatchObject({ client_id: 'c' });
  });
});
