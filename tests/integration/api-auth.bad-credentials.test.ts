import { spawnSync } from 'node:child_process';
import { createHmac, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiKeyService } from '../../src/core/auth/api-keys';
import { openDatabase } from '../../src/core/storage/database';
import { ApiKeyStore } from '../../src/core/storage/stores/api-key-store';
import { cliBin } from '../helpers/paths';
import { type Host, startHost, stopHost } from '../helpers/headless-host';

/**
 * Bad credentials against a real `portcullis serve` process: each must be refused with 401/403 (429 for the rate
 * limit), and neither the response nor the host's log may contain any part of the credential presented.
 */

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'portcullis-local';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path, headers: { host: `127.0.0.1:${port}`, ...(options.method === 'GET' ? {} : { 'content-type': 'application/json' }), ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body ?? (options.method === 'GET' || options.method === 'OPTIONS' ? undefined : '{}'));
  });
}

function upgrade(port: number, path: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, headers: {}, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    ws.once('error', () => resolve({ status: -1, headers: {}, body: '' }));
  });
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The secret parts a leak check looks for: the whole credential and, for JWTs, the signature alone. */
function secretParts(credential: string): string[] {
  const parts = [credential];
  const segments = credential.split('.');
  if (segments.length === 3 && segments[2]!.length >= 16) parts.push(segments[2]!);
  if (credential.startsWith('pck_')) parts.push(credential.slice(22));
  return parts.filter((part) => part.length >= 12);
}

interface Case {
  name: string;
  /** What is presented; checked against the response and the log. Empty when nothing is presented. */
  credential: string;
  send: (host: Host) => Promise<Reply>;
  expected: number[];
}

describe('the local API refuses bad credentials without leaking them', () => {
  let host: Host;
  let limited: Host | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-auth-'));
  const limitedDir = mkdtempSync(join(tmpdir(), 'portcullis-auth-limit-'));
  const cases: Case[] = [];
  const presented: string[] = [];

  let rsPrivate: CryptoKey;
  let rsPublicPem: string;
  let esPrivate: CryptoKey;
  let otherRsPrivate: CryptoKey;
  let keys: { chatOnly: string; tracesOnly: string; revoked: string; expired: string; approver: string };

  const sign = async (claims: Record<string, unknown>, options: { kid?: string | null; alg?: string; key?: CryptoKey } = {}): Promise<string> => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'RS256', ...(options.kid === null ? {} : { kid: options.kid ?? 'rs1' }) });
    return jwt.sign(options.key ?? rsPrivate);
  };
  const goodClaims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: ISSUER, aud: AUDIENCE, sub: 'script-1', scope: 'chat', exp: nowSeconds() + 600, iat: nowSeconds(), ...extra,
  });

  beforeAll(async () => {
    ({ privateKey: rsPrivate } = await generateKeyPair('RS256', { extractable: true }).then(async (pair) => {
      rsPublicPem = await exportSPKI(pair.publicKey);
      return pair;
    }));
    const es = await generateKeyPair('ES256');
    esPrivate = es.privateKey;
    otherRsPrivate = (await generateKeyPair('RS256')).privateKey;
    writeFileSync(
      join(dataDir, 'jwt.json'),
      JSON.stringify({
        issuer: ISSUER,
        audience: AUDIENCE,
        clockToleranceSeconds: 0,
        keys: [
          { kid: 'rs1', alg: 'RS256', publicKeyPem: rsPublicPem },
          { kid: 'es1', alg: 'ES256', publicKeyPem: await exportSPKI(es.publicKey) },
        ],
      }),
    );

    // Keys through the real CLI, as a person would; the expired one through the service with yesterday's clock.
    const create = (name: string, scopes: string[]): string => {
      const result = spawnSync(process.execPath, [cliBin, 'keys', 'create', '--data-dir', dataDir, '--json', '--name', name, ...scopes.flatMap((s) => ['--scope', s])], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { key: string }).key;
    };
    const revoked = create('revoked', ['admin']);
    const revokedId = revoked.slice(4, 20);
    expect(spawnSync(process.execPath, [cliBin, 'keys', 'revoke', revokedId, '--data-dir', dataDir], { encoding: 'utf8' }).status).toBe(0);
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    const yesterday = Date.now() - 86_400_000;
    const expired = new ApiKeyService(new ApiKeyStore(db), { now: () => yesterday }).create({ name: 'expired', scopes: ['admin'], expiresAt: yesterday + 60_000 }).key;
    db.close();
    keys = { chatOnly: create('chat only', ['chat']), tracesOnly: create('traces', ['traces:read']), revoked, expired, approver: create('approver', ['approve']) };

    // `keys list` shows every key's state and scopes, never a key.
    const listed = spawnSync(process.execPath, [cliBin, 'keys', 'list', '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
    const infos = JSON.parse(listed.stdout) as { id: string; name: string; revokedAt: number | null }[];
    expect(infos.map((i) => i.name).sort()).toEqual(['approver', 'chat only', 'expired', 'revoked', 'traces']);
    expect(infos.find((i) => i.name === 'revoked')!.revokedAt).not.toBeNull();
    for (const key of Object.values(keys)) expect(listed.stdout).not.toContain(key.slice(21));

    host = await startHost(dataDir, ['--auth-failure-limit', '100000']);
  }, 60_000);

  afterAll(async () => {
    await stopHost(host);
    await stopHost(limited);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(limitedDir, { recursive: true, force: true });
  });

  const post = (channel: string, headers: Record<string, string>, path = `/api/${channel}`) => (h: Host) => http(h.port, { path, headers });
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
  const add = (name: string, credential: string | (() => string | Promise<string>), send: (credential: string) => (h: Host) => Promise<Reply>, expected = [401]): void => {
    cases.push({
      name,
      credential: '',
      send: async (h) => {
        const value = typeof credential === 'function' ? await credential() : credential;
        const entry = cases.find((c) => c.name === name)!;
        entry.credential = value;
        presented.push(value);
        return send(value)(h);
      },
      expected,
    });
  };
  const viaPost = (channel = 'conversations.list') => (value: string) => post(channel, bearer(value));

  // Missing and malformed
  add('no credential at all', '', () => post('conversations.list', {}));
  add('empty bearer', '', () => post('conversations.list', { authorization: 'Bearer ' }));
  add('Basic scheme instead of Bearer', 'dXNlcjpwYXNzd29yZDEyMzQ1Njc4', (v) => post('conversations.list', { authorization: `Basic ${v}` }));
  add('unknown scheme', 'sometoken-0123456789abcdef', (v) => post('conversations.list', { authorization: `Token ${v}` }));
  add('random garbage', 'n0t-a-credential-at-all-0123456789', viaPost());
  add('credential of 10 000 characters', 'A'.repeat(10_000), viaPost());
  add('two words after Bearer', 'first-half-of-something second-half-of-it', viaPost());
  add('JWE-shaped token (five parts)', 'eyJhbGciOiJkaXIifQ.aaaaaaaaaaaa.bbbbbbbbbbbbbb.cccccccccccc.dddddddddddd', viaPost());
  // Session token
  add('wrong session token as bearer', 'Q'.repeat(43), viaPost());
  add('session token cut short', () => host.token.slice(0, -3), viaPost());
  add('session token with one character changed', () => `${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}`, viaPost());
  add('session token in the query of an API call (not accepted there)', () => host.token, (v) => post('conversations.list', {}, `/api/conversations.list?token=${v}`));
  add('wrong session cookie', 'W'.repeat(43), (v) => post('conversations.list', { cookie: `portcullis_token=${v}` }));
  // A cookie of 127.0.0.1 goes to every port of it, so the token is never taken from one.
  add('the session token as a cookie', () => host.token, (v) => post('conversations.list', { cookie: `portcullis_token=${v}` }));
  add('WebSocket with the session token as a cookie', () => host.token, (v) => (h) => upgrade(h.port, '/api', { cookie: `portcullis_token=${v}` }));
  add('wrong token in the page URL', 'X'.repeat(43), (v) => (h) => http(h.port, { method: 'GET', path: `/?token=${v}` }));
  // API keys
  add('malformed API key', 'pck_nothex_zzzzzzzzzzzzzzzzzzzzzz', viaPost());
  add('API key with an unknown id', () => `pck_0123456789abcdef_${'k'.repeat(43)}`, viaPost());
  add('API key with the right id and a wrong secret', () => `${keys.chatOnly.slice(0, 21)}${'z'.repeat(43)}`, viaPost());
  add('API key with one extra character', () => `${keys.chatOnly}x`, viaPost());
  add('API key in upper case', () => keys.chatOnly.toUpperCase(), viaPost());
  add('revoked API key', () => keys.revoked, viaPost());
  add('expired API key', () => keys.expired, viaPost());
  add('API key in the query string', () => keys.chatOnly, (v) => post('conversations.list', {}, `/api/conversations.list?token=${v}`));
  add('API key in the session cookie', () => keys.chatOnly, (v) => post('conversations.list', { cookie: `portcullis_token=${v}` }));
  add('API key in the page URL', () => keys.chatOnly, (v) => (h) => http(h.port, { method: 'GET', path: `/?token=${v}` }));
  add('chat key asking for pending approvals (insufficient scope)', () => keys.chatOnly, viaPost('approvals.pending'), [403]);
  add('chat key deciding an approval (insufficient scope)', () => keys.chatOnly, viaPost('approvals.decide'), [403]);
  add('chat key reading spans (insufficient scope)', () => keys.chatOnly, viaPost('traces.spans'), [403]);
  add('traces key sending a chat message (insufficient scope)', () => keys.tracesOnly, viaPost('chat.send'), [403]);
  add('approver key listing conversations (insufficient scope)', () => keys.approver, viaPost('conversations.list'), [403]);
  // JWTs
  add('alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(goodClaims({ scope: 'admin' }))}.`, viaPost());
  add('alg None with a kid', () => `${b64({ alg: 'None', kid: 'rs1' })}.${b64(goodClaims({ scope: 'admin' }))}.`, viaPost());
  add('alg none with a forged signature', () => `${b64({ alg: 'none', kid: 'rs1' })}.${b64(goodClaims())}.${'s'.repeat(40)}`, viaPost());
  add('expired JWT', () => sign(goodClaims({ exp: nowSeconds() - 3_600 })), viaPost());
  add('not-yet-valid JWT (nbf in an hour)', () => sign(goodClaims({ nbf: nowSeconds() + 3_600 })), viaPost());
  add('JWT from another issuer', () => sign(goodClaims({ iss: 'https://evil.example' })), viaPost());
  add('JWT for another audience', () => sign(goodClaims({ aud: 'someone-else' })), viaPost());
  add('JWT without iss', () => sign(goodClaims({ iss: undefined })), viaPost());
  add('JWT without aud', () => sign(goodClaims({ aud: undefined })), viaPost());
  add('JWT without exp', () => sign(goodClaims({ exp: undefined })), viaPost());
  add('JWT without sub', () => sign(goodClaims({ sub: undefined })), viaPost());
  add('JWT with a tampered payload (scope raised to admin)', async () => {
    const [header, , signature] = (await sign(goodClaims())).split('.');
    return `${header}.${b64(goodClaims({ scope: 'admin' }))}.${signature}`;
  }, viaPost());
  add('JWT with a tampered signature', async () => {
    const token = await sign(goodClaims());
    const flip = token.at(-5) === 'A' ? 'B' : 'A';
    return `${token.slice(0, -5)}${flip}${token.slice(-4)}`;
  }, viaPost());
  add('JWT with the signature removed', async () => `${(await sign(goodClaims())).split('.').slice(0, 2).join('.')}.`, viaPost());
  add('HS256 signed with the RSA public key (algorithm confusion)', () => {
    const head = `${b64({ alg: 'HS256', kid: 'rs1', typ: 'JWT' })}.${b64(goodClaims({ scope: 'admin' }))}`;
    return `${head}.${createHmac('sha256', rsPublicPem).update(head).digest('base64url')}`;
  }, viaPost());
  add('HS256 signed with the RSA public key, no kid', () => {
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(goodClaims({ scope: 'admin' }))}`;
    return `${head}.${createHmac('sha256', rsPublicPem).update(head).digest('base64url')}`;
  }, viaPost());
  add('unknown kid', () => sign(goodClaims(), { kid: 'who-is-this' }), viaPost());
  add('no kid', () => sign(goodClaims(), { kid: null }), viaPost());
  add('right kid, signed by another RSA key', () => sign(goodClaims(), { key: otherRsPrivate }), viaPost());
  add('ES256 token claiming the RSA kid', () => sign(goodClaims(), { alg: 'ES256', kid: 'rs1', key: esPrivate }), viaPost());
  add('RS256 token claiming the EC kid', () => sign(goodClaims(), { kid: 'es1' }), viaPost());
  add('RS384 with the configured RSA key (algorithm not pinned)', async () => {
    const head = `${b64({ alg: 'RS384', kid: 'rs1' })}.${b64(goodClaims({ scope: 'admin' }))}`;
    return `${head}.${cryptoSign('sha384', Buffer.from(head), await exportPKCS8(rsPrivate)).toString('base64url')}`;
  }, viaPost());
  add('JWT with only the chat scope deciding an approval', () => sign(goodClaims()), viaPost('approvals.decide'), [403]);
  add('JWT with an unknown scope name only', () => sign(goodClaims({ scope: 'root superuser' })), viaPost('conversations.list'), [403]);
  add('JWT with scopes as a non-list', () => sign(goodClaims({ scope: undefined, scopes: { admin: true } })), viaPost('conversations.list'), [403]);
  add('JWT in the page URL', () => sign(goodClaims({ scope: 'admin' })), (v) => (h) => http(h.port, { method: 'GET', path: `/?token=${v}` }));
  // Host and Origin (DNS rebinding, other sites), even with the right session token
  add('foreign Host header', () => host.token, (v) => (h) => http(h.port, { path: '/api/conversations.list', headers: { ...bearer(v), host: `evil.example:${h.port}` } }), [403]);
  add('Host on another port', () => host.token, (v) => (h) => http(h.port, { path: '/api/conversations.list', headers: { ...bearer(v), host: `127.0.0.1:${h.port + 1}` } }), [403]);
  add('Host that starts like localhost', () => host.token, (v) => (h) => http(h.port, { path: '/api/conversations.list', headers: { ...bearer(v), host: `localhost.evil.example:${h.port}` } }), [403]);
  add('foreign Origin', () => host.token, (v) => post('conversations.list', { ...bearer(v), origin: 'http://evil.example' }), [403]);
  add('Origin null (sandboxed frame, file://)', () => host.token, (v) => post('conversations.list', { ...bearer(v), origin: 'null' }), [403]);
  add('Origin with https instead of http', () => host.token, (v) => (h) => http(h.port, { path: '/api/conversations.list', headers: { ...bearer(v), origin: `https://127.0.0.1:${h.port}` } }), [403]);
  add('Origin on another port', () => host.token, (v) => (h) => http(h.port, { path: '/api/conversations.list', headers: { ...bearer(v), origin: `http://127.0.0.1:${h.port + 1}` } }), [403]);
  add('foreign Origin on the page with the token cookie', () => host.token, (v) => (h) => http(h.port, { method: 'GET', path: '/', headers: { cookie: `portcullis_token=${v}`, origin: 'http://evil.example' } }), [403]);
  add('absolute-form request naming another host', () => host.token, (v) => (h) => http(h.port, { path: `http://evil.example:${h.port}/api/conversations.list`, headers: bearer(v) }), [403]);
  // WebSocket upgrades
  add('WebSocket without a credential', '', () => (h) => upgrade(h.port, '/api', {}));
  add('WebSocket with a wrong token in the query', 'Y'.repeat(43), (v) => (h) => upgrade(h.port, `/api?token=${v}`, {}));
  add('WebSocket with a revoked key', () => keys.revoked, (v) => (h) => upgrade(h.port, '/api', bearer(v)));
  add('WebSocket with an expired key', () => keys.expired, (v) => (h) => upgrade(h.port, '/api', bearer(v)));
  add('WebSocket with alg none', () => `${b64({ alg: 'none' })}.${b64(goodClaims({ scope: 'admin' }))}.`, (v) => (h) => upgrade(h.port, '/api', bearer(v)));
  add('WebSocket with an expired JWT', () => sign(goodClaims({ exp: nowSeconds() - 60 })), (v) => (h) => upgrade(h.port, '/api', bearer(v)));
  add('WebSocket with the token from a foreign Origin', () => host.token, (v) => (h) => upgrade(h.port, `/api?token=${v}`, { origin: 'http://evil.example' }), [403]);
  add('WebSocket with the token and a foreign Host', () => host.token, (v) => (h) => upgrade(h.port, `/api?token=${v}`, { host: `evil.example:${h.port}` }), [403]);

  it('has at least 50 bad-credential cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it('refuses every case with its status, and the response carries nothing of the credential', async () => {
    const failures: string[] = [];
    for (const entry of cases) {
      const reply = await entry.send(host);
      if (!entry.expected.includes(reply.status)) failures.push(`${entry.name}: got ${reply.status}, expected ${entry.expected.join('/')}`);
      expect(reply.headers['access-control-allow-origin'], entry.name).toBeUndefined();
      expect(reply.headers['set-cookie'], entry.name).toBeUndefined();
      const visible = `${reply.body}\n${JSON.stringify(reply.headers)}`;
      for (const part of secretParts(entry.credential)) {
        if (visible.includes(part)) failures.push(`${entry.name}: the response contains the credential`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('logs every refusal with a reason, and the log carries nothing of any credential', async () => {
    // Give the host a moment to flush its log lines: wait for the last refusal's line, not for a time.
    await expect.poll(() => host.log().match(/"event":"auth\.failed"/g)?.length ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(cases.length);
    const log = host.log();
    for (const value of presented) for (const part of secretParts(value)) expect(log.includes(part), `log leaks ${part.slice(0, 6)}…`).toBe(false);
    expect(log).toMatch(/"reason":"revoked-key"/);
    expect(log).toMatch(/"reason":"expired-key"/);
    expect(log).toMatch(/"reason":"jwt-jwt_expired:exp"|"reason":"jwt-jwt_expired"/);
    expect(log).toMatch(/"reason":"jwt-unknown-kid"/);
    expect(log).toMatch(/"reason":"jwt-alg-mismatch"/);
    expect(log).toMatch(/"reason":"jwt-jose_alg_not_allowed"/);
    expect(log).toMatch(/"reason":"jwt-jws_signature_verification_failed"/);
    for (const claim of ['nbf', 'iss', 'aud', 'exp', 'sub']) expect(log).toContain(`"reason":"jwt-jwt_claim_validation_failed:${claim}"`);
    expect(log).toMatch(/"reason":"wrong-key"/);
    expect(log).toMatch(/"reason":"insufficient-scope:approve"/);
    expect(log).toMatch(/"reason":"host-or-origin"/);
    expect(log).not.toMatch(/token=/);
  });

  it('still lets the right credentials in (so the refusals above are about the credential)', async () => {
    const ok = async (headers: Record<string, string>, channel = 'conversations.list') => (await http(host.port, { path: `/api/${channel}`, headers })).status;
    expect(await ok(bearer(host.token))).toBe(200);
    expect(await ok(bearer(keys.chatOnly))).toBe(200);
    expect(await ok(bearer(keys.approver), 'approvals.pending')).toBe(200);
    expect(await ok(bearer(await sign(goodClaims())))).toBe(200);
    expect(await ok(bearer(await sign(goodClaims(), { alg: 'ES256', kid: 'es1', key: esPrivate })))).toBe(200);
    expect(await ok(bearer(await sign(goodClaims({ scope: 'approve' }))), 'approvals.pending')).toBe(200);
    expect((await upgrade(host.port, '/api', bearer(keys.chatOnly))).status).toBe(101);
    const created = await http(host.port, { path: '/api/conversations.create', headers: bearer(keys.chatOnly), body: JSON.stringify({ title: 'From a script' }) });
    expect(JSON.parse(created.body)).toMatchObject({ ok: true, output: { title: 'From a script' } });
  });

  it('answers a cross-site preflight without any CORS permission', async () => {
    const reply = await http(host.port, { method: 'OPTIONS', path: '/api/conversations.list', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(reply.status).toBe(403);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(reply.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('answers 429 once a client has failed too often, even with the right token, and logs it without the credential', async () => {
    limited = await startHost(limitedDir, ['--auth-failure-limit', '3']);
    const guesses = ['guess-one-0123456789abcdef', 'guess-two-0123456789abcdef', 'guess-three-0123456789abc'];
    for (const guess of guesses) expect((await http(limited.port, { path: '/api/conversations.list', headers: bearer(guess) })).status).toBe(401);
    const blocked = await http(limited.port, { path: '/api/conversations.list', headers: bearer('guess-four-0123456789abcdef') });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).not.toContain('guess-four');
    expect((await http(limited.port, { path: '/api/conversations.list', headers: bearer(limited.token) })).status).toBe(429);
    expect((await upgrade(limited.port, `/api?token=${limited.token}`, {})).status).toBe(429);
    await expect.poll(() => limited!.log(), { timeout: 5_000 }).toMatch(/"reason":"rate-limited","status":429/);
    for (const guess of [...guesses, 'guess-four-0123456789abcdef', limited.token]) expect(limited.log()).not.toContain(guess);
  });
});
