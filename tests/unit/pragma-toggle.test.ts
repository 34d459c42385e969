import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pragmaToggle } from '../../src/core/storage/pragma-toggle';
import { tempDir } from '../helpers/temp-dir';

describe('pragmaToggle', () => {
  it('leaves the setting as it was, and every on() and off() takes effect, the first ones included', () => {
    const db = new BetterSqlite3(join(tempDir(), 'p.db'));
    db.pragma('busy_timeout = 5000');
    const read = () => db.pragma('busy_timeout', { simple: true });
    const toggle = pragmaToggle(db, 'busy_timeout = 0', 'busy_timeout = 5000');
    expect(read()).toBe(5_000);
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      toggle.on();
      seen.push(read());
      toggle.off();
      seen.push(read());
    }
    expect(seen).toEqual([0, 5_000, 0, 5_000, 0, 5_000]);
    db.close();
  });
});
