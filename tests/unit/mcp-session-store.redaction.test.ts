import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/storage/migrate';
import { McpSessionStore, type StoredMcpSession } from '../../src/core/storage/stores/mcp-session-store';
import { Redactor } from '../../src/core/redaction/redactor';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'canary-secret-4f9d2b7e1a';

function session(): StoredMcpSession {
  return {
    id: 's1',
    principal: { kind: 'api-key', id: 'key-1', scopes: [] },
    initialize: { protocolVersion: '2025-06-18', capabilities: { note: `token ${CANARY}` }, clientInfo: { name: `client ${CANARY}`, version: '1.0' } },
    tools: null,
    conversationId: null,
    openedAt: 1000,
    lastSeenAt: 1000,
  };
}

describe('McpSessionStore', () => {
  it('masks known secrets in what the client sent before it is written, whoever saves it', () => {
    const db = new BetterSqlite3(join(tempDir(), 'portcullis.db'));
    migrate(db);
    const redactor = new Redactor();
    redactor.register(CANARY);
    const store = new McpSessionStore(db, redactor);
    const given = session();
    store.save(given);

    const raw = db.prepare('SELECT initialize_json FROM mcp_sessions').pluck().all().join('\n');
    expect(raw).not.toContain(CANARY);
    expect(raw).toContain('[REDACTED:secret]');
    expect(store.find('s1')?.initialize.clientInfo.name).toBe('client [REDACTED:secret]');
    // The caller's session keeps what it was given.
    expect(given.initialize.clientInfo.name).toBe(`client ${CANARY}`);
    db.close();
  });
});
