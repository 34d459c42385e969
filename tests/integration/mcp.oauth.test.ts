import type { Server as HttpServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startOAuthMcpServer } from '../helpers/oauth-mcp-server';
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
});
