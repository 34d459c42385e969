import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/commands/audit';
import { dbCommand } from '../../src/cli/commands/db';
import { AuditLog } from '../../src/core/audit/audit-log';
import { claimDataFolder } from '../../src/core/runtime/data-folder-owner';
import { openDatabase } from '../../src/core/storage/database';
import { LATEST_SCHEMA_VERSION } from '../../src/core/storage/migrations/index';
import { RECOVERED_TITLE } from '../../src/core/storage/salvage/lost-references';
import { salvageDatabase, SALVAGE_WORK_FOLDER, type SalvageReport } from '../../src/core/storage/salvage/salvage-database';
import { leafPages, openError, overwritePage, rootPage } from '../helpers/damaged-page';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

interface Seeded {
  dataDir: string;
  file: string;
}

/**
 * A data folder whose database holds `conversations` conversations of `messages` messages each (long enough that
 * a table spans many pages), a tool call and its approval per conversation, and `audit` audit entries; closed
 * cleanly (no WAL), as a file found damaged at the next start is.
 */
function seeded(options: { conversations?: number; messages?: number; audit?: number; schema?: number } = {}): Seeded {
  const { conversations = 3, messages = 100, audit = 300 } = options;
  const dataDir = tempDir();
  const file = join(dataDir, 'portcullis.db');
  const db = openDatabase(file, options.schema ? { migrateTo: options.schema } : {});
  const insertConversation = db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const insertMessage = db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, ?, 't', 'user', ?, ?)");
  const insertCall = db.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, result_json, started_at) VALUES (?, ?, 't', 'fs.read', '{}', 'succeeded', ?, 5)");
  const insertApproval = db.prepare("INSERT INTO approvals (id, tool_call_id, conversation_id, requested_at, expires_at, outcome) VALUES (?, ?, ?, 5, 6, 'approved')");
  db.transaction(() => {
    for (let c = 0; c < conversations; c++) {
      insertConversation.run(`c${c}`, `Chat ${c}`, 1, 2);
      for (let m = 0; m < messages; m++) insertMessage.run(`c${c}-m${m}`, `c${c}`, `message ${m} of chat ${c}: ${'lorem ipsum '.repeat(30)}`, 1000 + m);
      insertCall.run(`call${c}`, `c${c}`, JSON.stringify({ content: [{ type: 'text', text: `README of chat ${c}` }] }));
      insertApproval.run(`a${c}`, `call${c}`, `c${c}`);
    }
  })();
  const log = new AuditLog(db);
  for (let i = 1; i <= audit; i++) log.record({ kind: 'policy.decision', data: { i, why: 'x'.repeat(200) } }, Date.UTC(2026, 10, 25) + i);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { dataDir, file };
}

function run(command: typeof dbCommand, dataDir: string, ...positionals: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  return command({ values: { 'data-dir': dataDir }, positionals, out: (line) => void lines.push(line) }).then((code) => ({ code, lines }));
}

/** Runs each statement on the closed file, as a past run of Portcullis left its rows. */
function written(file: string, ...statements: string[]): void {
  const db = new BetterSqlite3(file);
  try {
    for (const sql of statements) db.prepare(sql).run();
  } finally {
    db.close();
  }
}

function count(file: string, sql: string): number {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('portcullis db salvage', () => {
  it('keeps every message but those on a damaged page of the messages table, and says which were lost', async () => {
    const { dataDir, file } = seeded();
    const leaves = leafPages(file, 'messages');
    expect(leaves.length).toBeGreaterThan(20);
    overwritePage(file, leaves[5]!);
    const damagedBytes = readFileSync(file);
    const refused = openError(file);
    expect(refused.code).toBe('DATABASE_CORRUPT');
    expect(refused.message).toContain(`Run \`portcullis db salvage --data-dir ${dataDir}\` to keep every row that can still be read`);

    const { code, lines } = await run(dbCommand, dataDir, 'salvage');
    expect(code).toBe(0);
    const report = salvageReportOf(lines);
    const lostLine = lines.find((line) => line.trimStart().startsWith('messages'))!;
    const lost = Number(/(\d+) lost/.exec(lostLine)![1]);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(20);
    expect(lostLine).toMatch(new RegExp(`^\\s+messages\\s+${300 - lost} saved, ${lost} lost \\(rowids \\d+–\\d+\\)$`));
    expect(report).toContain('Rows lost in: messages.');
    // Which conversations lost them, as the index by conversation still says.
    expect(lines).toContain(`Messages lost, by conversation: "Chat 0" (${lost}).`);
    // The start refused above kept a copy of the same bytes: said, so that one of the two can go.
    expect(lines[2]).toBe(`(The copy Portcullis kept when it refused to start, ${(refused.data as { backup: string }).backup}, holds the same bytes: one of the two may go.)`);
    // The damaged file is kept aside, byte for byte; the new one opens (a start checks it) and holds the rest.
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('portcullis.db.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0]!)).equals(damagedBytes)).toBe(true);
    const db = openDatabase(file);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(300 - lost);
    expect(db.prepare('SELECT count(*) FROM conversations').pluck().get()).toBe(3);
    expect(db.prepare('SELECT count(*) FROM approvals').pluck().get()).toBe(3);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    // The schema is a new database's, word for word (the search triggers, set aside during the copy, are back).
    const schemaOf = (at: typeof db) => at.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").raw().all();
    const fresh = openDatabase(join(tempDir(), 'portcullis.db'));
    expect(schemaOf(db)).toEqual(schemaOf(fresh));
    fresh.close();
    // Search works on what was saved: its index was made again from the rows.
    expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'lorem'").pluck().get()).toBe(300 - lost);
    expect(db.prepare("SELECT count(*) FROM tool_results_fts WHERE tool_results_fts MATCH 'readme'").pluck().get()).toBe(3);
    db.close();
    expect(existsSync(join(dataDir, SALVAGE_WORK_FOLDER))).toBe(false);
  });

  it('keeps what a crashed run left in the WAL, and keeps the WAL aside with the damaged file', async () => {
    const { dataDir: before, file: seededFile } = seeded();
    // A run that crashed: its last messages are in the WAL only, never folded into the file.
    const db0 = openDatabase(seededFile);
    db0.pragma('wal_autocheckpoint = 0');
    db0.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('late', 'c0', 't', 'user', 'written just before the crash', 2000)").run();
    const dataDir = tempDir();
    const file = join(dataDir, 'portcullis.db');
    copyFileSync(seededFile, file);
    copyFileSync(`${seededFile}-wal`, `${file}-wal`);
    db0.close();
    expect(before).not.toBe(dataDir);
    overwritePage(file, leafPages(file, 'messages')[3]!);
    const wal = readFileSync(`${file}-wal`);
    const report = salvaged(dataDir);
    expect(readFileSync(`${report.damagedFile}-wal`).equals(wal)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = openDatabase(file);
    expect(db.prepare("SELECT content FROM messages WHERE id = 'late'").pluck().get()).toBe('written just before the crash');
    db.close();
  });

  it('steps past a damaged interior page: the leaves under it are lost, those after it are read', async () => {
    const { dataDir, file } = seeded({ conversations: 40, messages: 500, audit: 3 });
    const root = rootPage(file, 'messages');
    const bytes = readFileSync(file);
    const page = (n: number) => (n - 1) * 4096;
    expect(bytes[page(root)]).toBe(0x05); // interior
    const child = bytes.readUInt32BE(page(root) + bytes.readUInt16BE(page(root) + 12 + 2));
    expect(bytes[page(child)]).toBe(0x05); // interior too: many leaves under it
    overwritePage(file, child);
    const messages = salvaged(dataDir).tables.find((t) => t.table === 'messages')!;
    expect(messages.lost).toBeGreaterThan(1000);
    expect(messages.saved + messages.lost!).toBe(20_000);
    expect(messages.lostRanges).toHaveLength(1);
    const db = openDatabase(file);
    const [after, through] = [messages.lostRanges[0]!.after!, messages.lostRanges[0]!.through!];
    expect(db.prepare('SELECT count(*) FROM messages WHERE seq > ? AND seq <= ?').pluck().get(after, through)).toBe(0);
    expect(db.prepare('SELECT max(seq) FROM messages').pluck().get()).toBe(20_000);
    db.close();
  });

  it('loses only the one long message whose overflow page is damaged', async () => {
    const { dataDir, file } = seeded();
    const db0 = new BetterSqlite3(file);
    const seq = db0.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('long', 'c1', 't', 'user', ?, 3000)").run(`a long paste ${'y'.repeat(20_000)}`).lastInsertRowid;
    db0.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('after', 'c1', 't', 'user', 'and after it', 3001)").run();
    const overflow = db0.prepare("SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'overflow' ORDER BY pageno").pluck().all() as number[];
    db0.close();
    overwritePage(file, overflow[2]!);
    const messages = salvaged(dataDir).tables.find((t) => t.table === 'messages')!;
    expect(messages).toMatchObject({ saved: 301, lost: 1, lostRanges: [{ after: Number(seq) - 1, through: Number(seq) }], lostByConversation: [{ id: 'c1', title: 'Chat 1', lost: 1 }] });
    const db = openDatabase(file);
    expect(db.prepare("SELECT content FROM messages WHERE id = 'after'").pluck().get()).toBe('and after it');
    db.close();
  });

  it('makes a conversation whose own row was lost again from its messages, named after the first one', async () => {
    const { dataDir, file } = seeded();
    // One whose only content is a tool call (a `portcullis tools call`): no message of the person's to name it after.
    written(
      file,
      "INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c9', 'Calls', 1, 2)",
      "INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, started_at) VALUES ('call9', 'c9', 't', 'fs.read', '{}', 'succeeded', 7)",
    );
    overwritePage(file, rootPage(file, 'conversations')); // one page: every conversation row
    const { lines } = await run(dbCommand, dataDir, 'salvage');
    expect(lines).toContain('4 conversations whose own rows were lost were made again from their messages, titled "Recovered: " and the start of each one\'s first message.');
    const db = openDatabase(file);
    expect(db.prepare('SELECT title FROM conversations ORDER BY id').pluck().all()).toEqual([
      ...[0, 1, 2].map((c) => `Recovered: message 0 of chat ${c}: lorem ipsum lorem ipsum lorem ipsum lor…`),
      RECOVERED_TITLE,
    ]);
    expect(db.prepare("SELECT min(created_at), max(updated_at) FROM conversations WHERE id <> 'c9'").raw().get()).toEqual([5, 1099]);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(300);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('leaves out the approvals of tool calls it lost, and keeps the messages that named them', async () => {
    const { dataDir, file } = seeded();
    written(file, "UPDATE messages SET tool_call_id = 'call1' WHERE id = 'c1-m0'");
    overwritePage(file, rootPage(file, 'tool_calls'));
    const report = salvaged(dataDir);
    const approvals = report.tables.find((t) => t.table === 'approvals')!;
    expect(approvals).toMatchObject({ saved: 0, droppedForLostReference: 3 });
    expect(report.tables.find((t) => t.table === 'messages')).toMatchObject({ saved: 300, linksCleared: 1 });
    expect(report.tables.find((t) => t.table === 'tool_calls')).toMatchObject({ saved: 0, lost: 3, lostRanges: [{ after: 0, through: 3 }] });
    const db = openDatabase(file);
    expect(db.prepare("SELECT tool_call_id FROM messages WHERE id = 'c1-m0'").pluck().get()).toBeNull();
    db.close();
  });

  it("takes every conversation as tainted, and every call's result as untrusted, when where taint was recorded is lost", async () => {
    const { dataDir, file } = seeded();
    written(file, "INSERT INTO taint_sources (conversation_id, tool_call_id, tool_name, description, created_at) VALUES ('c1', 'call1', 'http.fetch', 'a web page', 9)");
    overwritePage(file, rootPage(file, 'taint_sources'));
    const { lines } = await run(dbCommand, dataDir, 'salvage');
    expect(lines).toContain("Which conversations read untrusted content was partly lost: every conversation is now taken as having read some (its risky calls ask first), and every tool call's result as untrusted.");
    const db = openDatabase(file);
    expect(db.prepare('SELECT conversation_id, tool_call_id FROM taint_sources ORDER BY conversation_id').raw().all()).toEqual([['c0', 'call0'], ['c1', 'call1'], ['c2', 'call2']]);
    db.close();
  });

  it('says what a lost setting means: back to its default, to look through', async () => {
    const { dataDir, file } = seeded({ conversations: 1, messages: 5, audit: 3 });
    written(file, "INSERT INTO settings (key, value_json, updated_at) VALUES ('approvalTimeoutMs', '30000', 1)");
    overwritePage(file, rootPage(file, 'settings'));
    const { lines } = await run(dbCommand, dataDir, 'salvage');
    expect(lines).toContain('Settings on the damaged page are back to their defaults: look through Settings (a stricter choice you had made may be among them).');
    expect(lines).toContain('The settings lost: approvalTimeoutMs.');
  });

  it('saves every row when only a page of an index is damaged', async () => {
    const { dataDir, file } = seeded();
    overwritePage(file, leafPages(file, 'messages_by_conversation')[0]!);
    expect(openError(file).code).toBe('DATABASE_CORRUPT');
    const report = salvaged(dataDir);
    expect(report.tables.every((t) => t.lost === 0 && t.refused === 0)).toBe(true);
    expect(report.tables.find((t) => t.table === 'messages')!.saved).toBe(300);
    const db = openDatabase(file, { check: 'quick' });
    expect(db.prepare('SELECT count(*) FROM messages INDEXED BY messages_by_conversation WHERE conversation_id = ?').pluck().get('c2')).toBe(100);
    db.close();
  });

  it('saves every row when a page of the search index is damaged, and makes the index again', async () => {
    const { dataDir, file } = seeded();
    overwritePage(file, leafPages(file, 'messages_fts_data').at(-1)!);
    expect(openError(file).code).toBe('DATABASE_CORRUPT');
    const report = salvaged(dataDir);
    expect(report.tables.every((t) => t.lost === 0 && t.refused === 0)).toBe(true);
    const db = openDatabase(file, { check: 'quick' });
    expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'lorem'").pluck().get()).toBe(300);
    db.close();
  });

  it('says which audit entries were lost, and audit verify says so in words and checks every other entry', async () => {
    const { dataDir, file } = seeded();
    overwritePage(file, leafPages(file, 'audit_log')[3]!);
    const { lines } = await run(dbCommand, dataDir, 'salvage');
    const said = lines.find((line) => line.startsWith('The audit log lost entries'))!;
    const [, from, through] = /entries (\d+)–(\d+)/.exec(said)!.map(Number);
    expect(through! - from! + 1).toBeGreaterThan(1);
    // The chain's numbers say how many, where no index of the table does.
    expect(lines.find((line) => line.trimStart().startsWith('audit_log'))).toMatch(new RegExp(`^\\s+audit_log\\s+\\d+ saved, ${through! - from! + 1} lost \\(rowids ${from}–${through}\\)$`));
    expect(count(file, 'SELECT count(*) FROM audit_log')).toBe(300 - (through! - from! + 1) + 1); // and the salvage's own entry

    const verified = await run(auditCommand as typeof dbCommand, dataDir, 'verify');
    expect(verified.code).toBe(1);
    expect(verified.lines).toEqual([
      expect.stringMatching(new RegExp(`^The audit log cannot be verified whole: entries ${from}–${through} were lost with a damaged page of the database: \`portcullis db salvage\` on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC says so in entry 301\\. .*; every other entry verifies\\.$`)),
    ]);
    // An entry edited after the gap is still caught, as tampering.
    const db = new BetterSqlite3(file);
    db.prepare("UPDATE audit_log SET data_json = '{}' WHERE seq = 299").run();
    db.close();
    expect((await run(auditCommand as typeof dbCommand, dataDir, 'verify')).lines[0]).toMatch(/^The audit log was tampered with at entry 299: entry 299 \(policy\.decision\) was edited/);
  });

  it('says the end of the audit log may be lost when neither its last page nor its anchor reads', async () => {
    const { dataDir, file } = seeded();
    const leaves = leafPages(file, 'audit_log');
    overwritePage(file, leaves.at(-1)!);
    overwritePage(file, rootPage(file, 'audit_anchor'));
    const { lines } = await run(dbCommand, dataDir, 'salvage');
    const saved = count(file, 'SELECT max(seq) FROM audit_log') - 1;
    expect(lines).toContain(`The audit log may have lost any entries after ${saved} (its end, and where it was, could not be read): \`portcullis audit verify\` says so (exit 1) and checks every entry left.`);
    expect(lines.find((line) => line.trimStart().startsWith('audit_anchor'))).toMatch(/0 saved, every row lost \(the page the table starts from is damaged; how many it had cannot be told\)$/);
    const verified = await run(auditCommand as typeof dbCommand, dataDir, 'verify');
    expect(verified.code).toBe(1);
    expect(verified.lines[0]).toMatch(new RegExp(`^The audit log cannot be verified whole: any entries after ${saved} may have been lost with a damaged page of the database \\(the end of the log, and where it was, could not be read\\): \`portcullis db salvage\` on .* says so in entry ${saved + 1}\\.`));
  });

  it('brings a damaged file of an older schema up to this one', async () => {
    const { dataDir, file } = seeded({ schema: 20 });
    overwritePage(file, leafPages(file, 'messages')[2]!);
    const report = salvaged(dataDir);
    expect(report).toMatchObject({ schemaFrom: 20, schemaTo: LATEST_SCHEMA_VERSION });
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const schemaOf = (at: typeof db) => at.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").raw().all();
    const fresh = openDatabase(join(tempDir(), 'portcullis.db'));
    expect(schemaOf(db)).toEqual(schemaOf(fresh));
    fresh.close();
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(report.tables.find((t) => t.table === 'messages')!.saved);
    db.close();
  });

  it.each([
    ['its first page past the header', 100, 'database disk image is malformed'],
    ['the header past its first 28 bytes', 28, 'unsupported file format'],
  ])('refuses when the list of tables itself is damaged (%s), and changes nothing', async (_what, from, sqlite) => {
    const { dataDir, file } = seeded();
    overwritePage(file, 1, from);
    const before = readFileSync(file);
    expect(() => salvageDatabase(dataDir)).toThrow(`The list of tables of ${file} (its first page, sqlite_schema) is damaged itself (${sqlite}), so which rows belong where cannot be told and nothing can be salvaged here. Restore a backup, try SQLite's own \`.recover\` (sqlite3) on a copy of it, or move the file away to start with an empty history. Nothing was changed.`);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.includes('damaged') || name === SALVAGE_WORK_FOLDER)).toEqual([]);
  });

  it('refuses a file that is not SQLite (its first bytes overwritten), and changes nothing', async () => {
    const { dataDir, file } = seeded({ conversations: 1, messages: 5, audit: 3 });
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 16);
    writeFileSync(file, bytes);
    expect(() => salvageDatabase(dataDir)).toThrow(`${file} is not an SQLite database (its first bytes were overwritten), so nothing can be salvaged from it. Restore a backup, or move the file away to start with an empty history. Nothing was changed.`);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('portcullis.db.') || name === SALVAGE_WORK_FOLDER)).toEqual([]);
  });

  it('changes nothing in a database that is not damaged, and says so', async () => {
    const { dataDir, file } = seeded({ conversations: 1, messages: 5, audit: 3 });
    const before = readFileSync(file);
    expect(await run(dbCommand, dataDir, 'salvage')).toEqual({ code: 0, lines: [`The database at ${file} is not damaged (SQLite's quick_check finds nothing wrong): there is nothing to salvage, and nothing was changed.`] });
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('portcullis.db.') || name === SALVAGE_WORK_FOLDER)).toEqual([]);
  });

  it('refuses while a Portcullis runs on the folder', async () => {
    const { dataDir, file } = seeded();
    overwritePage(file, leafPages(file, 'messages')[1]!);
    const running = claimDataFolder(dataDir);
    try {
      expect(() => salvageDatabase(dataDir)).toThrow(/^Portcullis is running on .*: quit it .* first, then salvage\. Nothing was changed\.$/);
    } finally {
      running.release();
    }
    expect(readdirSync(dataDir).some((name) => name.includes('damaged'))).toBe(false);
  });

  it('keeps a Portcullis started while a salvage works from opening the file it is about to set aside', async () => {
    const { dataDir, file } = seeded({ conversations: 1, messages: 5, audit: 3 });
    // What a salvage under way holds: its work folder, and the folder's runtime.lock.
    mkdirSync(join(dataDir, SALVAGE_WORK_FOLDER));
    const salvage = claimDataFolder(dataDir);
    try {
      expect(() => openDatabase(file)).toThrow(`\`portcullis db salvage\` is saving what can be read of ${file}: start Portcullis again once it has printed its report.`);
    } finally {
      salvage.release();
    }
    // A killed salvage's folder, the lock free: the file opens as always.
    openDatabase(file).close();
  });

  it('leaves the damaged file in place when killed before the end; the next salvage starts afresh', async () => {
    const { dataDir, file } = seeded({ conversations: 40, messages: 500, audit: 10 });
    overwritePage(file, leafPages(file, 'messages')[7]!);
    const damagedBytes = readFileSync(file);
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { salvageDatabase } from './src/core/storage/salvage/salvage-database.ts'; salvageDatabase(${JSON.stringify(dataDir)});`], { cwd: repoRoot, stdio: 'ignore' });
    const halfWritten = join(dataDir, SALVAGE_WORK_FOLDER, 'salvaged.db');
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (existsSync(halfWritten)) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 2);
      child.on('exit', () => {
        clearInterval(poll);
        reject(new Error('the salvage ended before it could be killed'));
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readFileSync(file).equals(damagedBytes)).toBe(true);
    expect(readdirSync(dataDir).some((name) => name.includes('damaged'))).toBe(false);

    const report = salvaged(dataDir);
    expect(report.tables.find((t) => t.table === 'messages')!.saved).toBeGreaterThan(19_000);
    expect(existsSync(join(dataDir, SALVAGE_WORK_FOLDER))).toBe(false);
    expect(count(file, 'SELECT count(*) FROM messages')).toBe(report.tables.find((t) => t.table === 'messages')!.saved);
  }, 60_000);
});

/** A salvage of a damaged folder: its report. */
function salvaged(dataDir: string): SalvageReport {
  const report = salvageDatabase(dataDir);
  if ('intact' in report) throw new Error('it found the database intact');
  return report;
}

function salvageReportOf(lines: readonly string[]): string {
  return lines.join('\n');
}
