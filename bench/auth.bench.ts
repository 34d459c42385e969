/**
 * What authentication costs per request on the local API: an API key (SQLite lookup + SHA-256) and a JWT
 * (RS256 / ES256 verification) against the session token (a constant-time compare) as the baseline, first in the
 * authenticator alone, then end to end over HTTP (`POST /api/conversations.list` on 127.0.0.1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Authenticator } from '../src/core/auth/authenticator';
import { JwtVerifier } from '../src/core/auth/jwt-verifier';
import { createRuntime } from '../src/core/runtime/create-runtime';
import { createForkLauncher } from '../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../src/core/sandbox/worker-tool-runner';
import { startHeadlessServer } from '../src/server/headless-server';
import { compare, report } from './harness';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-auth-'));
  const launcher = createForkLauncher(resolve(__dirname, '..', 'out', 'main', 'tool-worker.js'));
  const runtime = createRuntime({ version: 'bench', dataDir }, { createToolRunner: (ws) => new WorkerToolRunner(launcher, ws) });
  const token = 't'.repeat(43);
  const { key } = runtime.apiKeys.create({ name: 'bench', scopes: ['chat'] });
  const rs = await generateKeyPair('RS256');
  const es = await generateKeyPair('ES256');
  const jwt = await JwtVerifier.create(
    {
      issuer: 'iss', audience: 'aud', clockToleranceSeconds: 0,
      keys: [{ kid: 'rs', alg: 'RS256', publicKeyPem: await exportSPKI(rs.publicKey) }, { kid: 'es', alg: 'ES256', publicKeyPem: await exportSPKI(es.publicKey) }],
    },
    null,
  );
  const sign = (alg: string, kid: string, privateKey: CryptoKey) =>
    new SignJWT({ scope: 'chat' }).setProtectedHeader({ alg, kid }).setIssuer('iss').setAudience('aud').setSubject('bench').setExpirationTime('1h').sign(privateKey);
  const rsToken = await sign('RS256', 'rs', rs.privateKey);
  const esToken = await sign('ES256', 'es', es.privateKey);
  const auth = new Authenticator({ sessionToken: token, apiKeys: runtime.apiKeys, jwt });
  const session = () => auth.authenticate({ source: 'bearer', value: token });

  const server = await startHeadlessServer({ runtime, token, jwt, log: () => {} });
  const post = (credential: string) => async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/conversations.list`, {
      method: 'POST', headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' }, body: '{}',
    });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    await response.arrayBuffer();
  };

  const results = [
    await compare('authenticate: API key', () => auth.authenticate({ source: 'bearer', value: key }), session, { iterations: 5_000 }),
    await compare('authenticate: JWT RS256', () => auth.authenticate({ source: 'bearer', value: rsToken }), session, { iterations: 2_000 }),
    await compare('authenticate: JWT ES256', () => auth.authenticate({ source: 'bearer', value: esToken }), session, { iterations: 2_000 }),
    await compare('POST /api over HTTP: API key', post(key), post(token), { iterations: 2_000, goal: 'auth adds < 0.5 ms p50' }),
    await compare('POST /api over HTTP: JWT RS256', post(rsToken), post(token), { iterations: 1_000, goal: 'auth adds < 0.5 ms p50' }),
  ];
  report('Local API authentication (baseline: the session token)', results);
  await server.close();
  await runtime.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}

void main();
