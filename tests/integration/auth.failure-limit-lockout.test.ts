import { get } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

/**
 * Every local client reaches Portcullis from 127.0.0.1, so the failure limit, counted per address, is shared by the
 * person's page, their MCP clients and their scripts: only a guessed credential may count towards it.
 */
async function start() {
  const t = startTestRuntime({ dataDir: tempDir() });
  const server = await startHeadlessServer({ runtime: t.runtime, token: 'the-session-token-0123456789abcdef', authFailures: { maxFailures: 3, windowMs: 60_000 }, log: () => undefined });
  onTestFinished(() => server.close());
  const post = (path: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then((response) => response.status);
  const cursor = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['chat'] }).key;
  return { ...t, post, cursor, origin: `http://127.0.0.1:${server.port}` };
}

describe('the failure limit cannot be tripped by what is not a guess at a credential', () => {
  it("another site's requests (any web page the person visits can send them) do not lock the person's clients out", async () => {
    const t = await start();
    for (let i = 0; i < 10; i++) expect(await t.post('/mcp', { origin: 'https://evil.example', 'content-type': 'text/plain' })).toBe(403);
    // Nor do requests with no credential at all (an <img> on a page sends neither one nor an Origin).
    for (let i = 0; i < 10; i++) expect(await fetch(`${t.origin}/api/conversations.list`).then((response) => response.status)).toBe(401);
    // Nor an <img> of another site with a token guessed in its URL: the browser says the request is cross-site.
    for (let i = 0; i < 10; i++) expect(await fetch(`${t.origin}/?token=guess${i}0123456789abcdef`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' } }).then((response) => response.status)).toBe(403);
    expect(await t.post('/api/conversations.list', { authorization: `Bearer ${t.cursor}` })).toBe(200);
    // A link the person followed from another site to the printed URL still opens the page.
    // (node:http, since fetch sets Sec-Fetch-Mode itself.)
    const followed = await new Promise<number>((resolve, reject) => {
      get(`${t.origin}/?token=the-session-token-0123456789abcdef`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(followed).not.toBe(403);
    expect(await t.post('/api/conversations.list', { authorization: `Bearer ${t.cursor}` })).toBe(200);
  });

  it('a stale client config with a real key that was revoked, retrying, does not lock the others out', async () => {
    const t = await start();
    const stale = t.runtime.apiKeys.create({ name: 'old VS Code', scopes: ['chat'] });
    t.runtime.apiKeys.revoke(stale.info.id);
    for (let i = 0; i < 10; i++) expect(await t.post('/mcp', { authorization: `Bearer ${stale.key}` })).toBe(401);
    expect(await t.post('/api/conversations.list', { authorization: `Bearer ${t.cursor}` })).toBe(200);
    // Guesses still count: after three, even the right key waits.
    for (let i = 0; i < 3; i++) expect(await t.post('/api/conversations.list', { authorization: `Bearer pck_guess_${i}0123456789abcdef` })).toBe(401);
    expect(await t.post('/api/conversations.list', { authorization: `Bearer ${t.cursor}` })).toBe(429);
  });
});
