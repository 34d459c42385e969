import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerFrame } from '../../src/shared/api/wire';
import { ApiKeyService } from '../../src/core/auth/api-keys';
import { openDatabase } from '../../src/core/storage/database';
import { ApiKeyStore } from '../../src/core/storage/stores/api-key-store';
import { startHeadlessServer } from '../../src/server/headless-server';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';

async function startServer() {
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Portcullis</title>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const { runtime } = startTestRuntime();
  const server = await startHeadlessServer({ runtime, rendererDir, token: TOKEN });
  onTestFinished(() => server.close());
  return server;
}

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ ws: WebSocket } | { status: number }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

function call(ws: WebSocket, frame: unknown): Promise<ServerFrame> {
  return new Promise((resolve) => {
    ws.on('message', function onMessage(data) {
      const parsed = JSON.parse(data.toString()) as ServerFrame;
      if (parsed.type === 'response') {
        ws.off('message', onMessage);
        resolve(parsed);
      }
    });
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('the headless host refuses anyone without the token', () => {
  it('binds to 127.0.0.1 and prints a URL carrying the token', async () => {
    const server = await startServer();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it.each([
    ['no token', '/', {}],
    ['wrong token', `/?token=${TOKEN.slice(0, -1)}x`, {}],
    ['token of another length', '/?token=short', {}],
    ['asset without token', '/assets/app.js', {}],
    ['wrong cookie', '/', { cookie: 'portcullis_token=nope' }],
  ])('HTTP: %s → 401, nothing served', async (_name, path, headers) => {
    const server = await startServer();
    const response = await get(server.port, path, headers);
    expect(response.status).toBe(401);
    expect(response.body).not.toContain('<title>Portcullis');
    expect(response.body).toMatch(/Unauthorized/);
  });

  it('serves the page with the token, sets an HttpOnly cookie, and then serves assets by cookie', async () => {
    const server = await startServer();
    const first = await get(server.port, `/?token=${TOKEN}`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>Portcullis');
    expect(first.headers['content-security-policy']).toContain("script-src 'self'");
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/portcullis_page_\d+=.*HttpOnly.*SameSite=Strict/);
    const asset = await get(server.port, '/assets/app.js', { cookie: cookie.split(';')[0]! });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect((await get(server.port, '/', { cookie: cookie.split(';')[0]! })).status).toBe(200);
  });

  // A cookie of 127.0.0.1 goes to every port of it (a container's, a dev server's, an ssh forward's): the one the page
  // sets is not the token, and opens nothing but the page's own files.
  it('sets a cookie that is not the token and opens neither the API nor its socket, and takes the token as no cookie', async () => {
    const server = await startServer();
    const cookie = String((await get(server.port, `/?token=${TOKEN}`)).headers['set-cookie']).split(';')[0]!;
    expect(cookie).not.toContain(TOKEN);
    expect((await get(server.port, '/api/conversations.list', { cookie })).status).toBe(401);
    expect(await connect(server.port, '/api', { cookie })).toEqual({ status: 401 });
    expect((await get(server.port, '/mcp', { cookie })).status).toBe(401);
    expect((await get(server.port, '/', { cookie: `portcullis_token=${TOKEN}` })).status).toBe(401);
    expect(await connect(server.port, '/api', { cookie: `portcullis_token=${TOKEN}` })).toEqual({ status: 401 });
    // Another run's cookie is not this one's.
    const other = await startServer();
    expect((await get(other.port, '/', { cookie })).status).toBe(401);
  });

  it("keeps two servers' page cookies apart in one browser, which sends both to each", async () => {
    const first = await startServer();
    const second = await startServer();
    const cookieOf = async (port: number) => String((await get(port, `/?token=${TOKEN}`)).headers['set-cookie']).split(';')[0]!;
    const both = `${await cookieOf(first.port)}; ${await cookieOf(second.port)}`;
    expect((await get(first.port, '/', { cookie: both })).status).toBe(200);
    expect((await get(second.port, '/', { cookie: both })).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin with 403', async () => {
    const server = await startServer();
    expect((await get(server.port, `/?token=${TOKEN}`, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(server.port, `/?token=${TOKEN}`, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const server = await startServer();
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x']) {
      const response = await get(server.port, `${path}${path.includes('?') ? '&' : '?'}token=${TOKEN}`);
      expect(response.status, path).toBe(404);
    }
  });

  it.each([
    ['no token', '/api', {}],
    ['wrong token', '/api?token=wrong', {}],
    ['foreign origin', `/api?token=${TOKEN}`, { origin: 'http://evil.example' }],
  ])('WebSocket: %s is refused', async (_name, path, headers) => {
    const server = await startServer();
    const result = await connect(server.port, path, headers);
    expect('status' in result && [401, 403]).toContain('status' in result ? result.status : 0);
  });

  it('answers contract requests over an authorized WebSocket and validates frames', async () => {
    const server = await startServer();
    const result = await connect(server.port, `/api?token=${TOKEN}`);
    if (!('ws' in result)) throw new Error(`connection refused: ${result.status}`);
    const { ws } = result;
    onTestFinished(() => ws.close());
    expect(await call(ws, { type: 'request', id: 1, channel: 'conversations.create', input: { title: 'Via socket' } })).toMatchObject({
      type: 'response', id: 1, ok: true, output: { title: 'Via socket' },
    });
    expect(await call(ws, 'not json')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call(ws, { type: 'request', id: 2, channel: 'chat.send', input: {} })).toMatchObject({ id: 2, ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call(ws, { type: 'request', id: 3, channel: 'conversations.list', input: {} })).toMatchObject({ id: 3, ok: true, output: [{ title: 'Via socket' }] });
  });
});

describe('an open WebSocket lives only as long as its credential', () => {
  it('closes a key’s connection once the key is revoked, and filters events by scope', async () => {
    const rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    const { runtime } = startTestRuntime();
    const server = await startHeadlessServer({ runtime, rendererDir, token: TOKEN });
    onTestFinished(() => server.close());
    const { key, info } = runtime.apiKeys.create({ name: 'ws', scopes: ['chat'] });
    const result = await connect(server.port, '/api', { authorization: `Bearer ${key}` });
    if (!('ws' in result)) throw new Error(`connection refused: ${result.status}`);
    const { ws } = result;
    const events: string[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'event') events.push(frame.channel);
    });
    const created = await call(ws, { type: 'request', id: 1, channel: 'conversations.create', input: {} });
    expect(created).toMatchObject({ ok: true });
    const conversationId = (created as { output: { id: string } }).output.id;
    // A write asks for approval: the chat key sees the chat events but never the approval request.
    await call(ws, { type: 'request', id: 2, channel: 'chat.send', input: { conversationId, text: 'write a.txt with hi' } });
    await expect.poll(() => runtime.handlers['approvals.pending']({}).then((p) => p.length)).toBe(1);
    expect(events).not.toContain('approval.requested');
    expect(await call(ws, { type: 'request', id: 3, channel: 'approvals.pending', input: {} })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    runtime.apiKeys.revoke(info.id);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ type: 'request', id: 4, channel: 'conversations.list', input: {} }));
    expect(await closed).toBe(4401);
  });
});

describe('a real API key that no longer works says why; any other credential is told nothing more', () => {
  it('a revoked key says it was revoked, an expired one when it expired, and an unknown or wrong one gets the usual text', async () => {
    const dataDir = tempDir();
    const rendererDir = tempDir();
    const { runtime } = startTestRuntime({ dataDir });
    const server = await startHeadlessServer({ runtime, rendererDir, token: TOKEN });
    onTestFinished(() => server.close());
    const revoked = runtime.apiKeys.create({ name: 'revoked', scopes: ['chat'] });
    runtime.apiKeys.revoke(revoked.info.id);
    // A key made yesterday to expire a minute later, through a second connection to the same database.
    const yesterday = Date.parse('2026-03-04T05:06:00Z');
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    const expired = new ApiKeyService(new ApiKeyStore(db), { now: () => yesterday }).create({ name: 'expired', scopes: ['chat'], expiresAt: yesterday + 60_000 }).key;
    db.close();
    const live = runtime.apiKeys.create({ name: 'live', scopes: ['chat'] }).key;

    const post = (key: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: '/api/conversations.list', method: 'POST', headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end('{}');
      });
    const message = async (key: string) => {
      const reply = await post(key);
      expect(reply.status).toBe(401);
      return (JSON.parse(reply.body) as { error: { code: string; message: string } }).error;
    };

    expect(await message(revoked.key)).toEqual({ code: 'UNAUTHORIZED', message: expect.stringMatching(/^Unauthorized: this API key was revoked; create a new one with `portcullis keys create`/) as unknown });
    expect((await message(expired)).message).toMatch(/^Unauthorized: this API key expired on 2026-03-04 05:07 UTC; create a new one/);
    const usual = 'Unauthorized: open the URL that `portcullis serve` printed, or send `Authorization: Bearer <API key or JWT>`.';
    expect((await message(`${live.slice(0, 21)}${'z'.repeat(43)}`)).message).toBe(usual);
    expect((await message(`${revoked.key.slice(0, 21)}${'z'.repeat(43)}`)).message).toBe(usual);
    expect((await message(`pck_0123456789abcdef_${'k'.repeat(43)}`)).message).toBe(usual);
    expect((await post(live)).status).toBe(200);
  });
});

describe('odd requests get a clear answer and never bring the host down', () => {
  it.each([
    ['bad percent-encoding', '/api/%E0%A4%A', 'POST'],
    ['absolute-form URL to another host', 'http://evil.example/api/conversations.list', 'POST'],
    ['unknown channel', '/api/nope.nothing', 'POST'],
    ['GET on the API', '/api/conversations.list', 'GET'],
  ])('%s', async (_name, path, method) => {
    const server = await startServer();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });
    expect([400, 403, 404, 405]).toContain(status);
    expect((await get(server.port, `/?token=${TOKEN}`)).status).toBe(200);
  });
});
