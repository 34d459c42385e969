import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { apiKeyId, hashApiKey } from '../../src/core/auth/api-key-format';
import { ApiKeyService } from '../../src/core/auth/api-keys';
import { AuditLog } from '../../src/core/audit/audit-log';
import { FailureLimiter } from '../../src/core/auth/failure-limiter';
import { parseExpiry } from '../../src/core/auth/parse-expiry';
import { openDatabase } from '../../src/core/storage/database';
import { ApiKeyStore } from '../../src/core/storage/stores/api-key-store';
import { tempDir } from '../helpers/temp-dir';

function service(start = 1_000_000) {
  const db = openDatabase(join(tempDir(), 'portcullis.db'));
  const clock = { t: start, now() { return this.t; } };
  return { keys: new ApiKeyService(new ApiKeyStore(db), clock, new AuditLog(db)), clock, db };
}

describe('API keys', () => {
  it('can be limited to certain tools: kept with the key, on the audit chain, and in what a check says of the key', () => {
    const { keys, db } = service();
    const { key, info } = keys.create({ name: 'Cursor', scopes: ['tools'], tools: ['fs.read', ' everything.* ', 'fs.read'] });
    expect(info.tools).toEqual(['fs.read', 'everything.*']);
    expect(keys.list()[0]!.tools).toEqual(['fs.read', 'everything.*']);
    expect(keys.check(key)).toEqual({ ok: true, principal: { kind: 'api-key', id: `key:${info.id}`, scopes: ['tools'], toolLimit: { holder: 'key "Cursor"', source: 'key', patterns: ['fs.read', 'everything.*'] } } });
    const row = db.prepare("SELECT data_json FROM audit_log WHERE kind = 'api_key.created'").get() as { data_json: string };
    expect(JSON.parse(row.data_json)).toMatchObject({ name: 'Cursor', tools: ['fs.read', 'everything.*'] });
    db.close();
  });

  it('lists keys made in the same millisecond in the order they were made, whatever their random ids', () => {
    const { keys, db } = service();
    const made = Array.from({ length: 12 }, () => keys.create({ name: 'Cursor', scopes: ['tools'] }).info.id);
    expect(keys.list().map((key) => key.id)).toEqual(made);
    db.close();
  });

  it('refuses a tool list with the chat, admin or approve scope, which reach every tool anyway, and an empty one', () => {
    const { keys, db } = service();
    expect(() => keys.create({ name: 'c', scopes: ['tools', 'chat'], tools: ['fs.read'] })).toThrow(/cannot also have the "chat" scope/);
    expect(() => keys.create({ name: 'a', scopes: ['admin'], tools: ['fs.read'] })).toThrow(/"admin"/);
    // approve answers any waiting call, another client's of a tool outside the list too.
    expect(() => keys.create({ name: 'p', scopes: ['tools', 'approve'], tools: ['fs.read'] })).toThrow(/"approve"/);
    expect(() => keys.create({ name: 'e', scopes: ['tools'], tools: [' '] })).toThrow(/at least one tool/);
    expect(keys.list()).toEqual([]);
    db.close();
  });

  it('are created and revoked on the audit chain, never with the key itself', () => {
    const { keys, db } = service();
    const { key, info } = keys.create({ name: 'script', scopes: ['chat'] });
    expect(keys.revoke(info.id)).toBe(true);
    expect(keys.revoke('pck_unknown')).toBe(false);
    const rows = db.prepare("SELECT kind, data_json FROM audit_log WHERE kind LIKE 'api_key.%' ORDER BY seq").all() as Array<{ kind: string; data_json: string }>;
    expect(rows.map((row) => [row.kind, JSON.parse(row.data_json)])).toEqual([
      ['api_key.created', { id: info.id, name: 'script', scopes: ['chat'], tools: null, expiresAt: null }],
      ['api_key.revoked', { id: info.id }],
    ]);
    expect(JSON.stringify(rows)).not.toContain(key.slice(21));
    expect(new AuditLog(db).verify().ok).toBe(true);
    db.close();
  });

  it('shows the key once and stores only its hash', () => {
    const { keys, db } = service();
    const { key, info } = keys.create({ name: 'script', scopes: ['chat'] });
    expect(key).toMatch(/^pck_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyId(key)).toBe(info.id);
    const row = db.prepare('SELECT * FROM api_keys').get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(key.slice(21));
    expect(row['key_hash']).toBe(hashApiKey(key));
    expect(JSON.stringify(keys.list())).not.toContain(key.slice(21));
    expect(keys.list()[0]).not.toHaveProperty('keyHash');
    db.close();
  });

  it('checks, expires and revokes', () => {
    const { keys, clock, db } = service();
    const { key, info } = keys.create({ name: 'short', scopes: ['chat', 'approve'], expiresAt: clock.t + 1_000 });
    expect(keys.check(key)).toEqual({ ok: true, principal: { kind: 'api-key', id: `key:${info.id}`, scopes: ['chat', 'approve'] } });
    expect(keys.list()[0]!.lastUsedAt).toBe(clock.t);
    clock.t += 1_000;
    expect(keys.check(key)).toEqual({ ok: false, reason: 'expired-key', expiredAt: clock.t });
    const other = keys.create({ name: 'other', scopes: ['admin'] });
    expect(keys.revoke(other.info.id)).toBe(true);
    expect(keys.revoke(other.info.id)).toBe(false);
    expect(keys.check(other.key)).toEqual({ ok: false, reason: 'revoked-key' });
    expect(keys.check(`${other.key.slice(0, 21)}${'a'.repeat(43)}`)).toEqual({ ok: false, reason: 'wrong-key' });
    expect(keys.check('pck_nope')).toEqual({ ok: false, reason: 'malformed-key' });
    db.close();
  });

  it('refuses a key without a name, scope or future expiry', () => {
    const { keys, clock, db } = service();
    expect(() => keys.create({ name: ' ', scopes: ['chat'] })).toThrow(/name/);
    expect(() => keys.create({ name: 'x', scopes: [] })).toThrow(/scope/);
    expect(() => keys.create({ name: 'x', scopes: ['chat'], expiresAt: clock.t })).toThrow(/future/);
    db.close();
  });
});

describe('parseExpiry', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['30d', now + 30 * 86_400_000],
    ['12h', now + 12 * 3_600_000],
    ['90m', now + 90 * 60_000],
    ['2027-01-31', Date.parse('2027-01-31')],
  ])('%s', (value, expected) => expect(parseExpiry(value, now)).toBe(expected));
  it.each(['0d', 'tomorrow', '2020-01-01', '5y', ''])('refuses %s', (value) => expect(() => parseExpiry(value, now)).toThrow());
});

describe('FailureLimiter', () => {
  it('limits a client after N failures within the window, per client, and forgets after the window', () => {
    let t = 0;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000 }, () => t);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('a')).toBe(0);
      limiter.recordFailure('a');
      t += 1_000;
    }
    expect(limiter.retryAfterMs('a')).toBe(57_000);
    expect(limiter.retryAfterMs('b')).toBe(0);
    t = 60_001;
    expect(limiter.retryAfterMs('a')).toBe(0);
  });
});

describe('Authenticator.stillValid (open connections)', () => {
  it('drops a revoked or expired key and an expired JWT; the session stays', async () => {
    const { Authenticator } = await import('../../src/core/auth/authenticator');
    const { keys, clock, db } = service();
    const auth = new Authenticator({ sessionToken: 's'.repeat(43), apiKeys: keys, jwt: null });
    const { key, info } = keys.create({ name: 'k', scopes: ['chat'], expiresAt: clock.t + 10_000 });
    const checked = await auth.authenticate({ source: 'bearer', value: key });
    if (!checked.ok) throw new Error(checked.reason);
    expect(auth.stillValid(checked.principal)).toBe(true);
    clock.t += 10_000;
    expect(auth.stillValid(checked.principal)).toBe(false);
    const other = keys.create({ name: 'o', scopes: ['chat'] });
    const principal = { kind: 'api-key' as const, id: `key:${other.info.id}`, scopes: ['chat' as const] };
    expect(auth.stillValid(principal)).toBe(true);
    keys.revoke(other.info.id);
    expect(auth.stillValid(principal)).toBe(false);
    expect(auth.stillValid({ kind: 'jwt', id: 'jwt:x', scopes: ['chat'], expiresAt: 5 }, 6)).toBe(false);
    expect(auth.stillValid({ kind: 'session', id: 'session', scopes: ['chat'] })).toBe(true);
    expect(info.id).toBeTruthy();
    db.close();
  });
});
