import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { openError } from '../helpers/damaged-page';
import { tempDir } from '../helpers/temp-dir';

/** A database of `messages` messages, checkpointed and closed, with the page numbers of its messages table. */
function seeded(file: string, messages: number): { root: number; leaf: number } {
  const db = openDatabase(file);
  new ConversationStore(db).create({ id: 'c1', title: 'Chat', createdAt: 1, updatedAt: 1 });
  const store = new MessageStore(db);
  for (let i = 0; i < messages; i++) store.append({ id: `m${i}`, conversationId: 'c1', turnId: 't', role: 'user', content: `message ${i} ${'x'.repeat(300)}`, traceId: null, createdAt: i });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const raw = new BetterSqlite3(file, { readonly: true });
  const root = raw.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'messages'").pluck().get() as number;
  raw.close();
  // The root of a table of many rows is an interior page: its right-most child (bytes 8-11) is a leaf of it.
  const bytes = readFileSync(file);
  return { root, leaf: bytes.readUInt32BE((root - 1) * 4096 + 8) };
}

function scribble(file: string, page: number): void {
  const bytes = readFileSync(file);
  bytes.fill(0xde, (page - 1) * 4096 + 8, (page - 1) * 4096 + 600);
  writeFileSync(file, bytes);
}

describe('a database with a damaged page', () => {
  it("names the table the damaged page is in, in one line, where it quoted SQLite's findings over many lines", () => {
    const file = join(tempDir(), 'portcullis.db');
    const { leaf } = seeded(file, 200);
    scribble(file, leaf);
    const error = openError(file);
    expect(error.code).toBe('DATABASE_CORRUPT');
    expect(error.message).toMatch(new RegExp(`is damaged \\(the messages table \\(page ${leaf}\\) cannot be read whole; SQLite: Tree \\d+ page ${leaf}`));
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('***');
    expect(error.message).toMatch(/Portcullis did not change it and kept a copy at/);
  });
});
