import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/core/storage/migrate';
import { migration009 } from '../../src/core/storage/migrations/009-api-keys';
import { migration019 } from '../../src/core/storage/migrations/019-api-key-tools';
import { ApiKeyStore } from '../../src/core/storage/stores/api-key-store';
import { tempDir } from '../helpers/temp-dir';

describe('migration 009 (API keys)', () => {
  it(`${migration009.version - 1} → ${migration009.version} keeps existing data and adds a hash-only key table`, () => {
    const db = new BetterSqlite3(join(tempDir(), 'portcullis.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, { target: migration009.version - 1 });
    db.prepare("INSERT INTO conversations VALUES ('c1', 'Groceries', 1000, 2000)").run();
    db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('retention', '{\"days\":7}', 1)").run();
    migrate(db, { target: migration009.version });
    expect(schemaVersion(db)).toBe(migration009.version);
    expect(db.prepare('SELECT id, title FROM conversations').all()).toEqual([{ id: 'c1', title: 'Groceries' }]);
    expect(db.prepare('SELECT value_json FROM settings').get()).toEqual({ value_json: '{"days":7}' });
    const columns = (db.prepare('PRAGMA table_info(api_keys)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('key_hash');
    expect(columns).not.toContain('key');
    migrate(db); // the store reads the latest layout
    const store = new ApiKeyStore(db);
    store.insert({ id: 'abc', name: 'n', keyHash: 'ff', scopes: ['chat'], createdAt: 1, expiresAt: null });
    expect(store.get('abc')).toMatchObject({ id: 'abc', scopes: ['chat'], revokedAt: null });
    db.close();
  });
});

describe('migration 019 (API key tools)', () => {
  it('keeps the keys made before, each calling every tool as it did', () => {
    const db = new BetterSqlite3(join(tempDir(), 'portcullis.db'));
    migrate(db, { target: migration019.version - 1 });
    db.prepare("INSERT INTO api_keys (id, name, key_hash, scopes_json, created_at) VALUES ('old', 'Old script', 'ff', '[\"tools\"]', 1)").run();
    migrate(db, { target: migration019.version });
    const store = new ApiKeyStore(db);
    expect(store.get('old')).toMatchObject({ id: 'old', scopes: ['tools'], tools: null });
    store.insert({ id: 'new', name: 'n', keyHash: 'ee', scopes: ['tools'], tools: ['fs.read', 'everything.*'], createdAt: 2, expiresAt: null });
    expect(store.get('new')).toMatchObject({ tools: ['fs.read', 'everything.*'] });
    db.close();
  });
});
