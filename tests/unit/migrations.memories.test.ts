import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/core/storage/migrate';
import { SearchIndex } from '../../src/core/memory/search-index';
import { MemoryStore } from '../../src/core/memory/memory-store';
import { tempDir } from '../helpers/temp-dir';

describe('migration 6 (memories and search)', () => {
  it('4 → 6 keeps existing messages, indexes them for search, and adds memories with their source', () => {
    const file = join(tempDir(), 'portcullis.db');
    const db = new BetterSqlite3(file);
    db.pragma('foreign_keys = ON');
    migrate(db, { target: 4 });
    expect(schemaVersion(db)).toBe(4);
    db.prepare("INSERT INTO conversations VALUES ('c1', 'Groceries', 1000, 2000)").run();
    db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('m1', 'c1', 't1', 'user', 'buy oat milk and rye bread', 1000)").run();
    db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('m2', 'c1', 't1', 'assistant', 'Noted the shopping list', 1001)").run();
    db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 5)").run();

    migrate(db, { target: 6 });
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare('SELECT id, content FROM messages ORDER BY seq').all()).toEqual([
      { id: 'm1', content: 'buy oat milk and rye bread' },
      { id: 'm2', content: 'Noted the shopping list' },
    ]);
    expect(db.prepare('SELECT value_json FROM settings').all()).toEqual([{ value_json: '"dark"' }]);

    const search = new SearchIndex(db);
    expect(search.search('rye').map((h) => [h.kind, h.id, h.snippet, h.marks])).toEqual([['message', 'm1', 'buy oat milk and rye bread', [[17, 20]]]]);

    migrate(db); // the store writes today's columns (a memory's taint came in version 14)
    const memories = new MemoryStore(db);
    memories.save({ id: 'k1', content: 'Prefers oat milk', sourceMessageId: 'm1', conversationId: 'c1', createdAt: 3000, updatedAt: 3000 });
    expect(search.search('oat').map((h) => h.kind).sort()).toEqual(['memory', 'message']);
    // Deleting the conversation keeps the memory but drops its now-missing source.
    db.prepare("DELETE FROM conversations WHERE id = 'c1'").run();
    expect(memories.get('k1')).toMatchObject({ sourceMessageId: null, conversationId: null });
    expect(search.search('rye')).toEqual([]);
    db.close();
  });
});
