import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/core/storage/migrate';
import { AuditLog } from '../../src/core/audit/audit-log';
import { ConversationGrantStore } from '../../src/core/storage/stores/conversation-grant-store';
import { UserRuleStore } from '../../src/core/storage/stores/user-rule-store';
import { tempDir } from '../helpers/temp-dir';

describe('migration 4 → 5 (policy rules, taint, audit)', () => {
  it('keeps existing data and adds the rule, allowance, taint and audit tables', () => {
    const db = new BetterSqlite3(join(tempDir(), 'portcullis.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, { target: 4 });
    db.prepare("INSERT INTO conversations VALUES ('c1', 'Groceries', 1000, 2000)").run();
    db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('m1', 'c1', 't1', 'user', 'hi', 1000)").run();
    db.prepare("INSERT INTO settings VALUES ('retention', '{\"days\":7}', 1)").run();
    migrate(db, { target: 5 });
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT id, title FROM conversations').all()).toEqual([{ id: 'c1', title: 'Groceries' }]);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT value_json FROM settings').get()).toEqual({ value_json: '{"days":7}' });

    const rules = new UserRuleStore(db);
    rules.insert({ id: 'user.x', tool: 'fs.write', server: null, args: { path: { glob: ['notes/*.md'] } }, reason: 'r', createdAt: 5 }, null);
    expect(rules.list()).toHaveLength(1);
    expect(rules.revoke('user.x', 6)).toBe(true);
    expect(rules.list()).toHaveLength(0);
    const grants = new ConversationGrantStore(db);
    grants.allowForConversation('c1', 'fs.write', 7);
    expect(grants.isAllowed('c1', 'fs.write')).toBe(true);
    grants.addTaint('c1', { toolName: 'web.fetch', toolCallId: 'tc', description: 'web content from x', at: 8 });
    expect(grants.taint('c1')).toHaveLength(1);
    expect(() => grants.allowForConversation('nope', 'fs.write', 9)).toThrow(/FOREIGN KEY/);
    const audit = new AuditLog(db);
    audit.record({ kind: 'rule.created', data: { id: 'user.x' } }, 10);
    expect(audit.verify()).toMatchObject({ ok: true, entries: 1 });
    // Deleting a conversation takes its allowances and taint with it.
    db.prepare("DELETE FROM conversations WHERE id = 'c1'").run();
    expect(grants.taint('c1')).toHaveLength(0);
    db.close();
  });
});
