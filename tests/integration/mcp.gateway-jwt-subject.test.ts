import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadJwtConfig } from '../../src/core/auth/jwt-config';
import { JwtVerifier } from '../../src/core/auth/jwt-verifier';
import type { AuthFailureEntry } from '../../src/server/auth-gate';
import { startHeadlessServer } from '../../src/server/headless-server';
import { MemorySecretStore } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const SECRET = 's'.repeat(48);

/** A Portcullis that takes HS256 JWTs, serving /mcp. */
async function start() {
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'jwt.json'), JSON.stringify({ issuer: 'idp', audience: 'portcullis', keys: [{ kid: 'h1', alg: 'HS256', keychainSecret: 'jwt.h1' }] }));
  const t = startTestRuntime({ dataDir });
  const jwt = await JwtVerifier.create(loadJwtConfig(dataDir)!, new MemorySecretStore({ 'jwt.h1': SECRET }));
  const log: AuthFailureEntry[] = [];
  const server = await startHeadlessServer({ runtime: t.runtime, jwt, log: (entry) => void log.push(entry) });
  onTestFinished(() => server.close());
  const token = (sub: unknown) =>
    new SignJWT({ sub, scope: 'tools' } as Record<string, unknown>).setProtectedHeader({ alg: 'HS256', kid: 'h1' }).setIssuer('idp').setAudience('portcullis').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
  const mcpPost = (bearer: string, sessionId: string, body: unknown) =>
    fetch(`http://127.0.0.1:${server.port}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${bearer}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify(body),
    });
  return { port: server.port, token, mcpPost, log };
}

describe("a JWT's subject owns the /mcp session it opened", () => {
  it('is not taken by a token whose subject only begins as its does (long SPIFFE-like subjects)', async () => {
    const { port, token, mcpPost } = await start();
    const prefix = 'spiffe://example.org/ns/build-agents/sa/'.padEnd(100, 'a');
    const owner = await token(`${prefix}/laptop-of-alice`);
    const other = await token(`${prefix}/ci-runner`);
    const client = new Client({ name: 'Cursor', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${owner}` } } });
    await client.connect(transport);
    onTestFinished(() => client.close());
    const taken = await mcpPost(other, transport.sessionId!, { jsonrpc: '2.0', id: 7, method: 'tools/list' });
    expect(taken.status).toBe(404);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('refuses a token whose subject is no string or empty, which would stand for every such token alike', async () => {
    const { port, token, log } = await start();
    for (const sub of [42, { tenant: 'a' }, '', '  ']) {
      const response = await fetch(`http://127.0.0.1:${port}/api/tools.call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(sub)}` },
        body: JSON.stringify({ name: 'fs.list', arguments: { path: '.' } }),
      });
      expect(response.status).toBe(401);
    }
    expect(log.map((entry) => entry.reason)).toEqual(Array<string>(4).fill('jwt-malformed-sub'));
  });
});
