import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file Portcullis stores data in under `dataDir` that exists now: both SQLite files (`portcullis.db`,
 * `traces.db`) with their WALs. Canary tests read all of them.
 */
export function storedFiles(dataDir: string): string[] {
  return ['portcullis.db', 'traces.db'].flatMap((name) => [name, `${name}-wal`]).map((name) => join(dataDir, name)).filter(existsSync);
}
