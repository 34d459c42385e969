import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { reclaimSpaceAtOnce, vacuumWhole } from '../../src/core/retention/database-space';

/**
 * A connection to a file whose WAL another connection (the span writer thread) is checkpointing during the next
 * `busyFor` tries: SQLite answers a TRUNCATE busy at once then, with the WAL left as it was. Whether the WAL still
 * holds pages from before the delete is what the test reads.
 */
function besideACheckpoint(busyFor: number) {
  let left = busyFor;
  const file = { truncates: 0, walHoldsDeleted: true };
  const db = {
    pragma(sql: string): unknown {
      if (sql === 'busy_timeout') return 5_000;
      if (sql === 'wal_checkpoint(TRUNCATE)') {
        file.truncates++;
        if (left > 0) {
          left--;
          return [{ busy: 1, log: -1, checkpointed: -1 }];
        }
        file.walHoldsDeleted = false;
        return [{ busy: 0, log: 0, checkpointed: 0 }];
      }
      return [];
    },
    exec: () => undefined,
    prepare: () => ({ run: () => undefined }),
  };
  return { file, db: db as unknown as Database };
}

describe("a deletion empties the WALs, also while another connection checkpoints them", () => {
  it("one conversation's: tried again until the other checkpoint has ended, not left with the deleted pages in it", () => {
    const { file, db } = besideACheckpoint(3);
    reclaimSpaceAtOnce([{ db, file: 'portcullis.db' }]);
    expect(file).toEqual({ truncates: 5, walHoldsDeleted: false });
  });

  it('everything: the same', () => {
    const { file, db } = besideACheckpoint(2);
    vacuumWhole([{ db, file: 'traces.db' }]);
    expect(file).toEqual({ truncates: 3, walHoldsDeleted: false });
  });
});
