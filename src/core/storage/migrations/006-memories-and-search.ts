import type { Migration } from './migration';

/**
 * Long-term memories (facts with the message they came from), full-text indexes over messages and memories
 * (FTS5 external-content tables kept in step by triggers, so the text is stored once), and the log of
 * retention cuts for hosts that have no audit log wired.
 */
export const migration006: Migration = {
  version: 6,
  name: 'memories and search',
  up(db) {
    db.exec(`
      CREATE TABLE memories (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        content TEXT NOT NULL,
        source_message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,
        conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX memories_by_source ON memories(source_message_id);
      CREATE INDEX memories_by_conversation ON memories(conversation_id);

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.seq, new.content);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.seq, new.content);
      END;
      INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');

      CREATE VIRTUAL TABLE memories_fts USING fts5(
        content, content='memories', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts(rowid, content) VALUES (new.seq, new.content);
      END;
      CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.seq, old.content);
      END;
      CREATE TRIGGER memories_fts_update AFTER UPDATE OF content ON memories BEGIN
        INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.seq, old.content);
        INSERT INTO memories_fts(rowid, content) VALUES (new.seq, new.content);
      END;

      CREATE INDEX messages_by_created ON messages(created_at);
      CREATE INDEX conversations_by_updated ON conversations(updated_at);
      CREATE INDEX spans_by_start ON spans(start_time);

      CREATE TABLE retention_cuts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        detail_json TEXT NOT NULL
      );
    `);
  },
};
