import type { Server as HttpServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startOAuthMcpServer } from '../helpers/oauth-mcp-server';
import { freePort } from '../helpers/free-port';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

let httpServer: HttpServer | undefined;
afterEach(async () => {
  httpServer?.closeAllConnections();
  await new Promise<void>((resolve) => (httpServer ? httpServer.close(() => resolve()) : resolve()));
  httpServer = undefined;
});

const status = (runtime: Runtime) => runtime.mcp.status().find((s) => s.name === 'hosted')!;

describe('a remote MCP server that wants an OAuth sign-in', () => {
  it('waits for the person to sign in, then connects; the tokens stay in the keychain and survive a restart', async () => {
    const hosted = await startOAuthMcpServer();
    httpServer = hosted.server;
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    writeMcpConfig(dataDir, { hosted: { url: hosted.url } });
    const first = startTestRuntime({ dataDir, secretStore: secrets, approvalGate: new FixedApprovalGate('all') });

    const waiting = await until('never asked to sign in', () => status(first.runtime), (s) => s.signInUrl !== null);
    expect(waiting).toMatchObject({ state: 'failed', error: expect.stringContaining('it needs you to sign in') });
    expect(new URL(waiting.signInUrl!).searchParams.get('code_challenge_method')).toBe('S256');

    // The person's browser: the server approves and sends it back to Portcullis' loopback callback.
    const approval = await fetch(waiting.signInUrl!, { redirect: 'manual' });
    const callback = approval.headers.get('location')!;
    expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\/hosted\?/);
    // A callback with another state is not taken.
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged');
    expect((await fetch(forged)).status).toBe(400);
    expect(await (await fetch(callback)).text()).toContain('Portcullis is signed in to hosted');

    await until('never connected after signing in', () => status(first.runtime), (s) => s.state === 'connected');
    const { record } = await first.runtime.callTool('hosted.whoami', {});
    expect(JSON.stringify(record.result)).toContain('you are signed in');
    const stored = JSON.parse((await secrets.get('mcp-oauth.hosted.tokens'))!) as { access_token: string; refresh_token: string };
    expect(hosted.seenTokens).toContain(stored.access_token);
    // The tokens reach neither the page nor the records.
    const shown = JSON.stringify([await first.runtime.handlers['tools.catalog']({}), await first.runtime.handlers['tools.mcpConfig']({}), record]);
    expect(shown).not.toContain(stored.access_token);
    expect(shown).not.toContain(stored.refresh_token);
    await first.runtime.dispose();

    // The next start uses the saved tokens: no sign-in.
    const second = startTestRuntime({ dataDir, secretStore: secrets, approvalGate: new FixedApprovalGate('all') });
    await until('never connected with the saved tokens', () => status(second.runtime), (s) => s.state === 'connected');
    expect(status(second.runtime).signInUrl).toBeNull();
  }, 60_000);

  it('asks for a new sign-in when its tokens stop working mid-session, then connects again', async () => {
    const hosted = await startOAuthMcpServer();
    httpServer = hosted.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { hosted: { url: hosted.url } });
    const { runtime } = startTestRuntime({ dataDir, secretStore: new MemorySecretStore(), approvalGate: new FixedApprovalGate('all') });
    const signIn = async () => {
      const { signInUrl } = await until('never asked to sign in', () => status(runtime), (s) => s.signInUrl !== null);
      await fetch((await fetch(signInUrl!, { redirect: 'manual' })).headers.get('location')!);
      await until('never connected after signing in', () => status(runtime), (s) => s.state === 'connected');
    };
    await signIn();

    hosted.revokeTokens(); // the refresh token is refused too: only a new sign-in helps
    const refused = (await runtime.callTool('hosted.whoami', {})).record;
    expect(refused.error).toMatchObject({ code: 'MCP_SERVER_UNAVAILABLE', message: expect.stringMatching(/needs you to sign in|wants you to sign in again/) });
    expect(refused.error?.message).not.toContain('restarts it automatically');
    expect(status(runtime)).toMatchObject({ state: 'failed', signInUrl: expect.stringMatching(/^http/) });

    await signIn();
    expect(JSON.stringify((await runtime.callTool('hosted.whoami', {})).record.result)).toContain('you are signed in');
  }, 60_000);

  it("uses the client the person registered (its secret from the keychain, its fixed callback), and Sign out forgets the tokens", async () => {
    const callbackPort = await freePort();
    const registered = { clientId: 'portcullis-desktop', clientSecret: 'canary-client-secret-5e1f', redirectUri: `http://localhost:${callbackPort}/callback` };
    const hosted = await startOAuthMcpServer({ registered });
    httpServer = hosted.server;
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    await secrets.set('HOSTED_CLIENT_SECRET', registered.clientSecret);
    const oauth = { clientId: registered.clientId, clientSecret: 'secret:HOSTED_CLIENT_SECRET', callbackPort, scopes: 'mcp:read' };
    writeMcpConfig(dataDir, { hosted: { url: hosted.url, oauth } });
    const { runtime } = startTestRuntime({ dataDir, secretStore: secrets, approvalGate: new FixedApprovalGate('all') });

    const { signInUrl } = await until('never asked to sign in', () => status(runtime), (s) => s.signInUrl !== null);
    const asked = new URL(signInUrl!).searchParams;
    expect([asked.get('client_id'), asked.get('redirect_uri'), asked.get('scope')]).toEqual([registered.clientId, registered.redirectUri, 'mcp:read']);
    const approval = await fetch(signInUrl!, { redirect: 'manual' });
    expect(approval.status).toBe(302); // the server knows this client and this redirect URI
    expect(await (await fetch(approval.headers.get('location')!)).text()).toContain('Portcullis is signed in to hosted');
    await until('never connected after signing in', () => status(runtime), (s) => s.state === 'connected' && s.signedIn);
    expect(JSON.stringify((await runtime.callTool('hosted.whoami', {})).record.result)).toContain('you are signed in');
    const shown = JSON.stringify([await runtime.handlers['tools.catalog']({}), await runtime.handlers['tools.mcpConfig']({})]);
    expect(shown).not.toContain(registered.clientSecret);

    const tokens = JSON.parse((await secrets.get('mcp-oauth.hosted.tokens'))!) as { access_token: string; refresh_token: string };
    expect(await runtime.handlers['tools.controlServer']({ name: 'hosted', action: 'signOut' })).toEqual({ done: true, problems: [] });
    expect(await secrets.get('mcp-oauth.hosted.tokens')).toBeUndefined();
    expect(hosted.revoked).toEqual([tokens.refresh_token, tokens.access_token]); // ended at the server too, not only here
    const signedOut = await until('never asked to sign in again', () => status(runtime), (s) => s.signInUrl !== null);
    expect(signedOut).toMatchObject({ state: 'failed', signedIn: false });
    expect(await runtime.handlers['tools.controlServer']({ name: 'hosted', action: 'signOut' })).toMatchObject({ done: false, problems: [expect.stringContaining('not signed in')] });
  }, 60_000);

  it('signs out here even when the server does not confirm the revocation, and says so', async () => {
    const hosted = await startOAuthMcpServer({ revocationStatus: 503 });
    httpServer = hosted.server;
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    writeMcpConfig(dataDir, { hosted: { url: hosted.url } });
    const { runtime } = startTestRuntime({ dataDir, secretStore: secrets, approvalGate: new FixedApprovalGate('all') });
    const { signInUrl } = await until('never asked to sign in', () => status(runtime), (s) => s.signInUrl !== null);
    await fetch((await fetch(signInUrl!, { redirect: 'manual' })).headers.get('location')!);
    await until('never connected after signing in', () => status(runtime), (s) => s.signedIn);

    const { done, problems } = await runtime.handlers['tools.controlServer']({ name: 'hosted', action: 'signOut' });
    expect(done).toBe(true);
    expect(problems).toEqual([expect.stringContaining('did not confirm that it revoked the tokens (its revocation endpoint answered HTTP 503)')]);
    expect(await secrets.get('mcp-oauth.hosted.tokens')).toBeUndefined();
    expect(await until('never asked to sign in again', () => status(runtime), (s) => s.signInUrl !== null)).toMatchObject({ signedIn: false });
  }, 60_000);
});
