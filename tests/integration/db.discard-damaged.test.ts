import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbCommand } from '../../src/cli/commands/db';
import { openDatabase } from '../../src/core/storage/database';
import { leafPages, openError, overwritePage } from '../helpers/damaged-page';
import { tempDir } from '../helpers/temp-dir';

/** A data folder whose database has a damaged page of messages, and the copy a start refused by it kept. */
function damagedFolder(): { dataDir: string; file: string } {
  const dataDir = tempDir();
  const file = join(dataDir, 'portcullis.db');
  const db = openDatabase(file);
  db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c0', 'Chat', 1, 2)").run();
  const insert = db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, 'c0', 't', 'user', ?, ?)");
  db.transaction(() => {
    for (let m = 0; m < 200; m++) insert.run(`m${m}`, `message ${m}: ${'lorem ipsum '.repeat(30)}`, 1000 + m);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  overwritePage(file, leafPages(file, 'messages')[5]!);
  expect(openError(file).code).toBe('DATABASE_CORRUPT');
  return { dataDir, file };
}

function run(dataDir: string, ...positionals: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  return dbCommand({ values: { 'data-dir': dataDir }, positionals, out: (line) => void lines.push(line) }).then((code) => ({ code, lines }));
}

const copiesIn = (dataDir: string) => readdirSync(dataDir).filter((name) => /\.(damaged|corrupt)-/.test(name));

describe('the damaged copies a salvage leaves beside the database', () => {
  it('are said to be out of reach of deletes, retention and secret scrubs, with the command that deletes them, which does', async () => {
    const { dataDir, file } = damagedFolder();
    const salvaged = await run(dataDir, 'salvage');
    expect(salvaged.code).toBe(0);
    expect(salvaged.lines.at(-1)).toBe(
      `The damaged file and its copy still hold all the old database held, as it was: deleting a conversation, retention and the hiding of a secret you save later never reach them. Once the salvaged history is as you want it, delete them: portcullis db discard-damaged --data-dir ${dataDir}`,
    );
    expect(copiesIn(dataDir).length).toBeGreaterThanOrEqual(2);

    const discarded = await run(dataDir, 'discard-damaged');
    expect(discarded.code).toBe(0);
    expect(discarded.lines).toHaveLength(1);
    expect(discarded.lines[0]).toMatch(/^Deleted the damaged copies of .*portcullis\.db: .*portcullis\.db\.corrupt-.*\.bak, .*portcullis\.db\.damaged-.*\.bak\.$/);
    expect(copiesIn(dataDir)).toEqual([]);
    // The salvaged database stays, and opens.
    expect(existsSync(file)).toBe(true);
    const db = openDatabase(file);
    expect(db.prepare('SELECT count(*) FROM conversations').pluck().get()).toBe(1);
    db.close();
    await expect(run(dataDir, 'discard-damaged')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('There is no damaged copy of') });
  });

  it('names only the damaged file and a quoted folder when the start kept no copy', async () => {
    const { dataDir, file } = damagedFolder();
    for (const name of copiesIn(dataDir)) rmSync(join(dataDir, name));
    const odd = join(tempDir(), "it's here");
    mkdirSync(odd);
    renameSync(file, join(odd, 'portcullis.db'));
    const salvaged = await run(odd, 'salvage');
    expect(salvaged.lines.at(-1)).toMatch(/^The damaged file still holds all the old database held, .* never reach it\. Once the salvaged history is as you want it, delete it: portcullis db discard-damaged --data-dir '.*it'\\''s here'$/);
  });
});
