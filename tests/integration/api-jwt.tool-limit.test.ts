import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadJwtConfig } from '../../src/core/auth/jwt-config';
import { JwtVerifier } from '../../src/core/auth/jwt-verifier';
import type { AuthFailureEntry } from '../../src/server/auth-gate';
import { chaosBehindLocalApi } from '../helpers/chaos-behind-api';
import { auditedData, connectMcpClient, postChannel } from '../helpers/local-api-client';
import { MemorySecretStore } from '../helpers/mcp';
import { resultText } from '../helpers/result-text';

const SECRET = 'j'.repeat(48);

/** A Portcullis that takes HS256 JWTs (jwt.json, the secret in the keychain), with the chaos server behind it. */
async function start() {
  const log: AuthFailureEntry[] = [];
  const t = await chaosBehindLocalApi({
    prepare: (dataDir) => writeFileSync(join(dataDir, 'jwt.json'), JSON.stringify({ issuer: 'ci', audience: 'portcullis', keys: [{ kid: 'h1', alg: 'HS256', keychainSecret: 'jwt.h1' }] })),
    serve: async (dataDir) => ({ jwt: await JwtVerifier.create(loadJwtConfig(dataDir)!, new MemorySecretStore({ 'jwt.h1': SECRET })), log: (entry) => void log.push(entry) }),
  });
  const token = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'h1' }).setIssuer('ci').setAudience('portcullis').setSubject('nightly').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
  const post = (bearer: string, channel: string, input: unknown) => postChannel(t.port, bearer, channel, input);
  const connect = (bearer: string) => connectMcpClient(t.port, bearer, 'ci-agent');
  return { ...t, token, post, connect, log };
}

const refusalsOnRecord = (dataDir: string) => auditedData(dataDir, 'direct_call.refused');

describe("a JWT's tools claim limits it as a key's tool list does", () => {
  it('lists and runs only the tools it names, over the local API and /mcp, and gets only their servers’ prompts', async () => {
    const t = await start();
    const limited = await t.token({ scope: 'tools', tools: ['fs.read', 'chaos.e*'] });
    const refused = await t.post(limited, 'tools.call', { name: 'fs.write', arguments: { path: 'x.txt', content: 'x' } });
    expect(refused).toMatchObject({ status: 403, ok: false, error: { code: 'FORBIDDEN' } });
    expect(refused.error!.message).toBe('fs.write is not among the tools JWT nightly may call (fs.read, chaos.e*), so it was not run. Ask for a token whose tools claim names that tool, or call it in Portcullis itself.');
    expect(await t.runtime.handlers['approvals.pending']({})).toEqual([]);
    expect(refusalsOnRecord(t.dataDir)).toEqual([{ tool: 'fs.write', caller: 'JWT nightly', channel: 'tools.call', reason: expect.stringContaining('JWT nightly') }]);

    const client = await t.connect(limited);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['chaos_echo', 'chaos_escapes', 'fs_read']);
    expect(resultText(await client.callTool({ name: 'chaos_echo', arguments: { message: 'hi' } }))).toBe('echo: hi');
    expect(resultText(await client.callTool({ name: 'chaos_hang', arguments: {} }))).toMatch(/^FORBIDDEN: chaos_hang is not among the tools JWT nightly may call/);
    expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toContain('chaos_leaky');
    expect((await client.listResources()).resources).toEqual([]);

    // A token naming none of chaos' tools gets none of its prompts.
    const fsOnly = await t.token({ scope: 'tools', tools: ['fs.*'] });
    expect(await t.post(fsOnly, 'prompts.list', {})).toMatchObject({ status: 200, ok: true, output: { prompts: [] } });

    // A token without the claim is as before: every tool.
    const unlimited = await t.connect(await t.token({ scope: 'tools' }));
    expect((await unlimited.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['fs_write', 'chaos_hang']));
  }, 60_000);

  it('refuses a token whose claim is no list of names, or comes with chat, admin or approve, rather than read it as every tool', async () => {
    const t = await start();
    for (const claims of [
      { scope: 'tools', tools: 'fs.read' },
      { scope: 'tools', tools: [] },
      { scope: 'tools', tools: [42] },
      { scope: 'tools', tools: null },
      { scope: 'chat', tools: ['fs.read'] },
      { scopes: ['tools', 'approve'], tools: ['fs.read'] },
    ]) {
      expect((await t.post(await t.token(claims), 'tools.call', { name: 'fs.read', arguments: { path: 'x' } })).status, JSON.stringify(claims)).toBe(401);
    }
    expect(t.log.map((entry) => entry.reason)).toEqual([
      ...Array<string>(4).fill('jwt-malformed-tools-claim'),
      'jwt-tools-claim-with-unlimitable-scope',
      'jwt-tools-claim-with-unlimitable-scope',
    ]);
  }, 60_000);
});
