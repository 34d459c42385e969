import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/core/memory/search-index';
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { RetentionService } from '../../src/core/retention/retention-service';
import { openDatabase } from '../../src/core/storage/database';
import { scrubStoredSecrets } from '../../src/core/storage/scrub/stored-secret-scrubber';
import { migrate } from '../../src/core/storage/migrate';
import { SEARCHED_RESULT_CHARS } from '../../src/core/storage/migrations/017-tool-results-search';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { openTracesDatabase } from '../../src/core/storage/traces/open-traces-database';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { storedFiles } from '../helpers/stored-files';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

const diskHolds = (dataDir: string, needle: string) => storedFiles(dataDir).some((file) => readFileSync(file).includes(Buffer.from(needle)));

/** A stored call with `result`, as the gateway leaves one that succeeded. */
function call(id: string, conversationId: string, result: unknown, toolName = 'files.read_text'): ToolCallRecord {
  return {
    id, conversationId, turnId: 't', toolName, arguments: { path: 'q.csv' }, decision: { effect: 'allow', ruleId: 'r', reason: 'read-only' },
    approval: null, status: 'succeeded', result, error: null, startedAt: NOW, endedAt: NOW + 5,
  };
}

/** The words an index entry holds are the ones its row gives: FTS5 checks the index against its content. */
const indexIsConsistent = (db: BetterSqlite3.Database) => db.exec("INSERT INTO tool_results_fts(tool_results_fts) VALUES ('integrity-check')");

function fileDatabase() {
  const dir = tempDir();
  const file = join(dir, 'portcullis.db');
  const db = openDatabase(file);
  const conversations = new ConversationStore(db);
  const calls = new ToolCallStore(db);
  const search = new SearchIndex(db);
  const find = (text: string) => search.search(text, { toolResults: true }).filter((hit) => hit.kind === 'tool_result');
  return { dir, file, db, conversations, calls, search, find };
}

describe('search finds what tools returned', () => {
  it('a file the agent read is found by a phrase in it: its conversation, call, tool and a marked snippet, as untrusted', async () => {
    const { runtime, workspace } = startTestRuntime();
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'quarterly.csv'), 'month,metric,value\nQ3,churnrate,4.1%\nQ4,churnrate,3.8%\n');
    const { id: conversationId } = await runtime.handlers['conversations.create']({ title: 'Quarter review' });
    const turn = await runtime.startTurn(conversationId, 'read quarterly.csv').done;
    expect(turn.toolCalls).toMatchObject([{ toolName: 'fs.read', status: 'succeeded' }]);

    const hits = await runtime.handlers['search.query']({ query: 'Q3 churnrate' });
    const found = hits.filter((hit) => hit.kind === 'tool_result');
    expect(found).toMatchObject([{ id: turn.toolCalls[0]!.id, conversationId, conversationTitle: 'Quarter review', toolName: 'fs.read', role: 'tool', untrusted: true }]);
    const [hit] = found;
    expect(hit!.marks.map(([start, end]) => hit!.snippet.slice(start, end))).toEqual(['Q3', 'churnrate', 'churnrate']);
    // The text of the file, not its JSON: no key, quote or escape in the snippet.
    expect(hit!.snippet).not.toMatch(/"content"|\\n/);
    // Only with scope "all": the messages and memories scopes stay what they were.
    expect((await runtime.handlers['search.query']({ query: 'churnrate', scope: 'messages' })).some((h) => h.kind === 'tool_result')).toBe(false);
  });

  it('matches the text of a result, never its JSON keys, escapes or binary parts', () => {
    const { db, conversations, calls, find } = fileDatabase();
    conversations.create({ id: 'c1', title: 'Report', createdAt: NOW, updatedAt: NOW });
    calls.insert(call('builtin', 'c1', { path: 'notes/q.csv', content: 'alpha\nomegazeta "quoted" tabbed\tkappaword', bytes: 40 }));
    calls.insert(call('mcp', 'c1', {
      content: [
        { type: 'text', text: 'Quarterly figures for gammafold' },
        { type: 'image', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABbase64blob', mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///r/deltaplan.txt', text: 'embedded body epsilonword' } },
      ],
      structuredContent: { hiddenkey: 'structuredonly' },
    }));
    calls.insert(call('string', 'c1', 'a plain string result thetaword'));

    expect(find('omegazeta').map((h) => h.id)).toEqual(['builtin']);
    expect(find('kappaword').map((h) => h.id)).toEqual(['builtin']);
    expect(find('notes').map((h) => h.id)).toEqual(['builtin']); // the path is a string of the result
    // "alpha\nomegazeta" in the JSON reads as the word "nomegazeta"; "\tkappaword" as "tkappaword".
    expect(find('nomegazeta')).toEqual([]);
    expect(find('tkappaword')).toEqual([]);
    for (const key of ['content', 'bytes', 'path', 'mimeType', 'resource', 'uri', 'type', 'text', 'image', 'png', 'base64blob', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABbase64blob', 'hiddenkey', 'structuredonly', 'deltaplan']) {
      expect(find(key), key).toEqual([]);
    }
    expect(find('gammafold').map((h) => h.id)).toEqual(['mcp']);
    expect(find('epsilonword').map((h) => h.id)).toEqual(['mcp']);
    expect(find('thetaword').map((h) => h.id)).toEqual(['string']);
    indexIsConsistent(db);
    db.close();
  });

  it('holds the first 8,000 characters of a result, follows a result written later, and a JSON SQLite cannot read stores the call anyway', () => {
    const { db, conversations, calls, find } = fileDatabase();
    conversations.create({ id: 'c1', title: 'Long', createdAt: NOW, updatedAt: NOW });
    const filler = 'lorem '.repeat(Math.ceil(SEARCHED_RESULT_CHARS / 6));
    calls.insert(call('long', 'c1', { content: [{ type: 'text', text: `firstword ${filler} beyondword` }] }));
    expect(find('firstword').map((h) => h.id)).toEqual(['long']);
    expect(find('beyondword')).toEqual([]);

    // The gateway writes a call before it runs and its result when it ends (an update), maybe again on a retry.
    const pending = { ...call('later', 'c1', undefined), status: 'running' as const, endedAt: null };
    calls.insert(pending);
    expect(find('laterword')).toEqual([]);
    calls.update({ ...pending, status: 'succeeded', result: 'laterword arrived', endedAt: NOW + 9 });
    expect(find('laterword').map((h) => h.id)).toEqual(['later']);
    calls.update({ ...pending, status: 'succeeded', result: 'replacedword', endedAt: NOW + 9 });
    expect(find('laterword')).toEqual([]);
    expect(find('replacedword').map((h) => h.id)).toEqual(['later']);

    // Deeper than SQLite's JSON reader goes: the call is stored, its result is simply not searchable.
    const deep = JSON.parse(`${'['.repeat(1_200)}"deepword"${']'.repeat(1_200)}`) as unknown;
    calls.insert(call('deep', 'c1', deep));
    expect(calls.get('deep')?.status).toBe('succeeded');
    expect(find('deepword')).toEqual([]);
    // The memory tools' results repeat memories (searchable as such): a forgotten one would stay findable here.
    calls.insert(call('memory', 'c1', { saved: { id: 'm1', content: 'memoryword' } }, 'memory.save'));
    expect(find('memoryword')).toEqual([]);
    indexIsConsistent(db);
    db.close();
  });

  it("deleting the conversation, a retention cut and deleting everything take the result's words out of the index and the file", async () => {
    const { dir, file, db, conversations, calls, find } = fileDatabase();
    const traces = { file: join(dir, 'traces.db'), db: openTracesDatabase(join(dir, 'traces.db')).db };
    const retention = new RetentionService({ db, file, traces, settings: new SettingsStore(db), audit: new RetentionCutLog(db), clock: { now: () => NOW } });
    const add = (id: string, ageDays: number, word: string) => {
      const at = NOW - ageDays * DAY;
      conversations.create({ id, title: id, createdAt: at, updatedAt: at });
      calls.insert({ ...call(`${id}-call`, id, { content: [{ type: 'text', text: `${word} in a result` }] }), startedAt: at, endedAt: at });
    };
    add('deleted', 1, 'sparrowcanary5521');
    add('old', 40, 'wrencanary7730');
    add('kept', 1, 'robincanary1184');
    add('everything', 1, 'finchcanary3307');
    expect(find('sparrowcanary5521')).toHaveLength(1);

    expect(retention.deleteConversation('deleted')).not.toBeNull();
    expect(find('sparrowcanary5521')).toEqual([]);
    retention.update({ conversationDays: 30, traceDays: null, maxDatabaseMb: null });
    expect(await retention.run('purge now')).toMatchObject({ conversations: 1 });
    expect(find('wrencanary7730')).toEqual([]);
    expect(find('robincanary1184')).toHaveLength(1);
    indexIsConsistent(db);
    expect(db.prepare('SELECT count(*) FROM tool_result_rows').pluck().get()).toBe(2);
    // Secure-delete: the words are overwritten, not only unlinked from the index.
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(diskHolds(dir, 'sparrowcanary5521')).toBe(false);
    expect(diskHolds(dir, 'wrencanary7730')).toBe(false);

    await retention.deleteEverything();
    expect(find('robincanary1184')).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM tool_result_rows').pluck().get()).toBe(0);
    indexIsConsistent(db);
    db.close();
    traces.db.close();
    expect(diskHolds(dir, 'finchcanary3307')).toBe(false);
  });

  it('a secret stored in a result before it was known is scrubbed from the index too, and the file', async () => {
    const { dir, db, conversations, calls, find } = fileDatabase();
    const traces = openTracesDatabase(join(dir, 'traces.db')).db;
    conversations.create({ id: 'c1', title: 'Config', createdAt: NOW, updatedAt: NOW });
    calls.insert(call('cfg', 'c1', { path: 'config.txt', content: 'owner=ibisword token=heronsecret4471x' }));
    expect(find('heronsecret4471x').map((h) => h.id)).toEqual(['cfg']);
    const report = await scrubStoredSecrets({ main: db, traces, dataDir: dir }, ['heronsecret4471x']);
    expect(report.rows.tool_calls).toBe(1);
    expect(find('heronsecret4471x')).toEqual([]);
    expect(find('ibisword').map((h) => h.id)).toEqual(['cfg']); // the rest of the result is still found
    indexIsConsistent(db);
    db.close();
    traces.close();
    expect(diskHolds(dir, 'heronsecret4471x')).toBe(false);
  });

  it('the upgrade indexes the results stored before it', () => {
    const file = join(tempDir(), 'portcullis.db');
    const db = new BetterSqlite3(file);
    db.pragma('foreign_keys = ON');
    migrate(db, { target: 16 });
    new ConversationStore(db).create({ id: 'c1', title: 'Before', createdAt: NOW, updatedAt: NOW });
    const calls = new ToolCallStore(db);
    calls.insert(call('old-read', 'c1', { path: 'q.csv', content: 'legacyword in an old file' }));
    calls.insert(call('old-mcp', 'c1', { content: [{ type: 'text', text: 'legacyword from a server' }] }));
    calls.insert({ ...call('no-result', 'c1', undefined), status: 'failed', error: { code: 'TOOL_FAILED', message: 'legacyword in an error' } });
    migrate(db);
    const hits = new SearchIndex(db).search('legacyword', { toolResults: true });
    expect(hits.map((h) => h.id).sort()).toEqual(['old-mcp', 'old-read']);
    indexIsConsistent(db);
    expect(db.prepare("SELECT v FROM tool_results_fts_config WHERE k = 'secure-delete'").pluck().get()).toBe(1);
    db.close();
  });

  it('a runtime indexes the results an upgrade listed in the background, a batch at a time, before anyone searches', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'portcullis.db');
    const old = new BetterSqlite3(file);
    migrate(old, { target: 16 });
    new ConversationStore(old).create({ id: 'c1', title: 'Before', createdAt: NOW, updatedAt: NOW });
    const calls = new ToolCallStore(old);
    old.transaction(() => {
      for (let i = 0; i < 180; i++) calls.insert(call(`old-${i}`, 'c1', { path: `f${i}.csv`, content: `row ${i} backgroundword` }));
    })();
    old.close();
    startTestRuntime({ dataDir });
    const look = new BetterSqlite3(file, { readonly: true });
    const waiting = () => look.prepare('SELECT count(*) FROM tool_result_rows WHERE indexed = 0').pluck().get() as number;
    await expect.poll(waiting, { timeout: 5_000 }).toBe(0);
    expect(look.prepare("SELECT count(*) FROM tool_results_fts WHERE tool_results_fts MATCH 'backgroundword'").pluck().get()).toBe(180);
    look.close();
  });

  // An older shell than the SQLite Portcullis bundles must still read the schema, or it cannot open the file at all.
  it.skipIf(!existsSync('/usr/bin/sqlite3'))("the system's sqlite3 shell still opens the file and reads the index", () => {
    const { file, db, conversations, calls, find } = fileDatabase();
    conversations.create({ id: 'c1', title: 'Shell', createdAt: NOW, updatedAt: NOW });
    calls.insert(call('shell', 'c1', { content: [{ type: 'text', text: 'shellword here' }] }));
    expect(find('shellword')).toHaveLength(1); // indexed, by the search
    db.pragma('wal_checkpoint(TRUNCATE)');
    const out = execFileSync('/usr/bin/sqlite3', [file, "SELECT count(*) FROM tool_calls; SELECT content FROM tool_result_texts; SELECT rowid FROM tool_results_fts WHERE tool_results_fts MATCH 'shellword';"], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(['1', 'shellword here', '1']);
    db.close();
  });

  it('a secret in a result is masked before it is stored, so search cannot find it; a private chat never reaches the file', async () => {
    const { runtime, workspace, dataDir } = startTestRuntime();
    mkdirSync(workspace, { recursive: true });
    const secret = 'sk-ant-api03-CANARYq8v3Kx9Lm2Pw7Rt55';
    writeFileSync(join(workspace, 'config.txt'), `vendor settings\napi_key=${secret}\nowner=pelicanword\n`);
    const { id } = await runtime.handlers['conversations.create']({});
    const turn = await runtime.startTurn(id, 'read config.txt').done;
    expect(turn.toolCalls).toMatchObject([{ toolName: 'fs.read', status: 'succeeded' }]);
    const found = (query: string) => runtime.handlers['search.query']({ query }).then((hits) => hits.filter((h) => h.kind === 'tool_result'));
    expect(await found('pelicanword')).toHaveLength(1);
    for (const part of ['CANARYq8v3Kx9Lm2Pw7Rt55', 'api03']) expect(await found(part), part).toEqual([]);
    expect((await found('pelicanword'))[0]!.snippet).toContain('[REDACTED');

    writeFileSync(join(workspace, 'private.txt'), 'cormorantword in a private file\n');
    const privateChat = await runtime.handlers['conversations.create']({ private: true });
    const privateTurn = await runtime.startTurn(privateChat.id, 'read private.txt').done;
    expect(privateTurn.toolCalls).toMatchObject([{ toolName: 'fs.read', status: 'succeeded' }]);
    expect(await runtime.handlers['search.query']({ query: 'cormorantword' })).toEqual([]);
    await runtime.dispose();
    expect(diskHolds(dataDir, 'cormorantword')).toBe(false);
    expect(diskHolds(dataDir, 'CANARYq8v3Kx9Lm2Pw7Rt55')).toBe(false);
  });
});
