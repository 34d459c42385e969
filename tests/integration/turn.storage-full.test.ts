import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ModelProvider } from '../../src/core/model/model-provider';
import { startTestRuntime } from '../helpers/test-runtime';

/** The error a write gets from SQLite on a full disk (its own cap on the file gives the same SQLITE_FULL). */
function fullDiskError(): unknown {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v TEXT)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  try {
    for (;;) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(8_000));
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
}

describe('a turn on a disk that fills up', () => {
  it('ends saying the disk is full and what to do, not "something went wrong inside Portcullis"', async () => {
    // A write in the middle of the turn (here, under the model step) fails as on a full disk.
    const model: ModelProvider = {
      id: 'writes', description: 'a step whose write fails',
      // eslint-disable-next-line require-yield
      async *stream() {
        throw fullDiskError();
      },
    };
    const { runtime } = startTestRuntime({ model });
    const { id } = await runtime.handlers['conversations.create']({});
    const outcome = await runtime.startTurn(id, 'hello').done;
    expect(outcome.error).toMatchObject({ code: 'STORAGE_FULL', message: expect.stringMatching(/disk is full.*the rest of this turn was not saved.*Everything saved before is intact/) });
  });
});
