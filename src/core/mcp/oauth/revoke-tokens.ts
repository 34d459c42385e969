import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { messageOf } from '../../../shared/errors';

const REVOKE_TIMEOUT_MS = 5_000;

/** What became of the tokens at the authorization server when the person signed out. */
export type Revocation = { kind: 'revoked' } | { kind: 'unsupported' } | { kind: 'failed'; reason: string };

/**
 * Asks the server's authorization server to revoke the refresh token and the access token (RFC 7009), so that a
 * sign-out ends them there too and not only on this machine. A server that names no revocation endpoint is
 * `unsupported`: its tokens stop working when they expire.
 */
export async function revokeTokens(serverUrl: string, tokens: OAuthTokens, client: OAuthClientInformationMixed | undefined): Promise<Revocation> {
  try {
    const signal = AbortSignal.timeout(REVOKE_TIMEOUT_MS);
    const fetchFn = (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal });
    const { authorizationServerMetadata: metadata } = await discoverOAuthServerInfo(serverUrl, { fetchFn });
    // RFC 8414 names these; an OpenID provider's metadata may carry them too.
    const revocation = (metadata ?? {}) as { revocation_endpoint?: string; revocation_endpoint_auth_methods_supported?: string[] };
    const endpoint = revocation.revocation_endpoint;
    if (!endpoint || !client) return { kind: 'unsupported' };
    const methods = revocation.revocation_endpoint_auth_methods_supported ?? metadata?.token_endpoint_auth_methods_supported ?? [];
    // A refresh token first: revoking it ends the access tokens issued with it at most servers.
    const revocable = [
      ...(tokens.refresh_token ? [{ token: tokens.refresh_token, hint: 'refresh_token' }] : []),
      { token: tokens.access_token, hint: 'access_token' },
    ];
    for (const { token, hint } of revocable) {
      const body = new URLSearchParams({ token, token_type_hint: hint });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      const secret = client.client_secret;
      if (secret && (methods.length === 0 || methods.includes('client_secret_basic'))) {
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
      } else {
        body.set('client_id', client.client_id);
        if (secret && methods.includes('client_secret_post')) body.set('client_secret', secret);
      }
      const response = await fetchFn(endpoint, { method: 'POST', headers, body });
      await response.body?.cancel();
      // RFC 7009 §2.2: 200 also for a token the server no longer knows.
      if (!response.ok) return { kind: 'failed', reason: `its revocation endpoint answered HTTP ${response.status}` };
    }
    return { kind: 'revoked' };
  } catch (error) {
    return { kind: 'failed', reason: error instanceof Error && error.name === 'TimeoutError' ? 'it did not answer within 5 s' : messageOf(error) };
  }
}
