import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CommandContext } from '../../src/cli/command';
import { tracesCommand } from '../../src/cli/commands/traces';
import { tempDir } from '../helpers/temp-dir';

/**
 * traces.db on a read-only disk: SQLite opens it, then its first statement fails, as it cannot make traces.db-shm there
 * (seen on a read-only bind mount; a test cannot mount one without root).
 */
vi.mock('better-sqlite3', () => ({
  default: class {
    pragma(): void {}
    prepare(): never {
      throw Object.assign(new Error('unable to open database file'), { name: 'SqliteError', code: 'SQLITE_CANTOPEN' });
    }
    close(): void {}
  },
}));

describe('traces list on a data folder on a read-only disk', () => {
  it("says why and what to do, where it printed SQLite's error and its stack", async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'traces.db'), '');
    const context = { values: { 'data-dir': dataDir }, positionals: ['list'], out: () => undefined } as unknown as CommandContext;
    await expect(tracesCommand(context)).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      message: `Could not read ${join(dataDir, 'traces.db')} (unable to open database file). When its folder cannot be written to (a read-only disk, a backup or snapshot), SQLite cannot read it: copy the data folder somewhere writable and give that as --data-dir.`,
    });
  });
});
