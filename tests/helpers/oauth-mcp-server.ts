import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const body = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });
const json = (response: ServerResponse, status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

/** A client registered by hand, for a server without dynamic registration: only it, at exactly this redirect URI. */
export interface RegisteredOAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/**
 * A remote MCP server behind OAuth 2.1, as hosted servers are: protected-resource and authorization-server
 * metadata, dynamic client registration, an authorization endpoint that approves at once (the person's browser
 * consent, done), and a token endpoint that checks the PKCE verifier. /mcp answers only with a token it issued.
 * Given a `registered` client, it has no registration endpoint and accepts that client alone (as GitHub's does).
 */
export async function startOAuthMcpServer({ registered, revocationStatus = 200 }: { registered?: RegisteredOAuthClient; /** What its revocation endpoint answers. */ revocationStatus?: number } = {}) {
  const issued = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const seenTokens: string[] = [];
  const seenScopes: Array<string | null> = [];
  const revoked: string[] = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', base);
    if (url.pathname.startsWith('/.well-known/oauth-protected-resource')) return json(response, 200, { resource: `${base}/mcp`, authorization_servers: [base] });
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      return json(response, 200, {
        issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, revocation_endpoint: `${base}/revoke`,
        ...(registered ? { token_endpoint_auth_methods_supported: ['client_secret_post'] } : { registration_endpoint: `${base}/register`, token_endpoint_auth_methods_supported: ['none'] }),
        response_types_supported: ['code'], grant_types_supported: ['authorization_code', 'refresh_token'], code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/register' && !registered) return json(response, 201, { ...JSON.parse(await body(request)), client_id: randomUUID(), client_id_issued_at: Math.floor(Date.now() / 1000) });
    if (url.pathname === '/authorize') {
      const code = randomUUID();
      const redirectUri = url.searchParams.get('redirect_uri')!;
      seenScopes.push(url.searchParams.get('scope'));
      if (registered && (url.searchParams.get('client_id') !== registered.clientId || redirectUri !== registered.redirectUri)) {
        return json(response, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
      }
      codes.set(code, { challenge: url.searchParams.get('code_challenge')!, redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/revoke') {
      const form = new URLSearchParams(await body(request));
      if (registered && form.get('client_secret') !== registered.clientSecret) return json(response, 401, { error: 'invalid_client' });
      if (revocationStatus !== 200) return json(response, revocationStatus, { error: 'temporarily_unavailable' });
      issued.delete(form.get('token') ?? '');
      revoked.push(form.get('token') ?? '');
      return response.writeHead(200).end();
    }
    if (url.pathname === '/token') {
      const form = new URLSearchParams(await body(request));
      if (registered && (form.get('client_id') !== registered.clientId || form.get('client_secret') !== registered.clientSecret)) {
        return json(response, 401, { error: 'invalid_client' });
      }
      const grant = codes.get(form.get('code') ?? '');
      const verified = grant && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === grant.challenge;
      if (!verified) return json(response, 400, { error: 'invalid_grant' });
      const token = `canary-oauth-access-${randomUUID()}`;
      issued.add(token);
      return json(response, 200, { access_token: token, token_type: 'bearer', expires_in: 3600, refresh_token: `canary-oauth-refresh-${randomUUID()}` });
    }
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    seenTokens.push(token);
    if (!issued.has(token)) {
      response.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` }).end();
      return;
    }
    const mcp = new McpServer({ name: 'hosted', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'Says who you are.', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({ content: [{ type: 'text', text: 'you are signed in' }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** Every token it issued stops working, as when they expire and (here) cannot be refreshed. */
  const revokeTokens = () => issued.clear();
  return { url: `${base}/mcp`, server, seenTokens, seenScopes, revoked, revokeTokens };
}
