import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadJwtConfig } from '../../src/core/auth/jwt-config';
import { JwtVerifier } from '../../src/core/auth/jwt-verifier';
import { startHeadlessServer, type HeadlessServer } from '../../src/server/headless-server';
import { MemorySecretStore } from '../helpers/mcp';
import { startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const SECRET = 'r'.repeat(48);

describe('an /mcp session of a client whose JWTs are renewed', () => {
  it('is taken up again after a restart once the token that opened it has expired', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'jwt.json'), JSON.stringify({ issuer: 'idp', audience: 'portcullis', keys: [{ kid: 'h1', alg: 'HS256', keychainSecret: 'jwt.h1' }] }));
    let port = 0;
    let running: { t: TestRuntime; server: HeadlessServer } | null = null;
    const start = async () => {
      const t = startTestRuntime({ dataDir });
      const jwt = await JwtVerifier.create(loadJwtConfig(dataDir)!, new MemorySecretStore({ 'jwt.h1': SECRET }));
      const server = await startHeadlessServer({ runtime: t.runtime, jwt, port, log: () => undefined });
      port = server.port;
      running = { t, server };
      onTestFinished(() => server.close());
    };
    const stop = async () => {
      await running!.server.close();
      await running!.t.runtime.dispose();
      await new Promise((resolve) => setTimeout(resolve, 500));
    };
    const token = (expiresAt: number) =>
      new SignJWT({ scope: 'tools' }).setProtectedHeader({ alg: 'HS256', kid: 'h1' }).setIssuer('idp').setAudience('portcullis').setSubject('cursor').setExpirationTime(Math.floor(expiresAt / 1000)).sign(new TextEncoder().encode(SECRET));

    await start();
    // The client sends whichever token it holds now, as one that renews its short-lived tokens does.
    let bearer = await token(Date.now() + 2_000);
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${bearer}`);
        return fetch(input, { ...init, headers });
      },
    });
    const client = new Client({ name: 'Cursor', version: '1.0.0' });
    await client.connect(transport);
    onTestFinished(() => client.close());
    const sessionId = transport.sessionId;
    bearer = await token(Date.now() + 300_000);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    // The first token runs out while Portcullis is closed.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await stop();
    await start();

    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect(transport.sessionId).toBe(sessionId);
  });
});
