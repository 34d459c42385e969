import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file Portcullis stores data in under `dataDir` that exists now: both SQLite files (`portcullis.db`,
 * `traces.db`) with their WALs. Canary tests read all of them.
 */
export function storedFiles(dataDir: string): string[] {
  return ['portcullis.db', 'traces.db'].flatMap((name) => [name, `${name}-wal`]).map((name) => join(dataDir, name)).filter(existsSync);
}

/** Every file under `dir` and its folders but `skip` (databases, WALs, index files, logs, exports). */
function filesUnder(dir: string, skip: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === skip) return [];
    return statSync(path).isDirectory() ? filesUnder(path, skip) : [path];
  });
}

/**
 * The files under the data folder whose bytes hold any of `values` (UTF-8): whatever Portcullis wrote there, its
 * workspace left out (the files a test's tools write on purpose).
 */
export function filesHolding(dataDir: string, ...values: string[]): string[] {
  const needles = values.map((value) => Buffer.from(value, 'utf8'));
  return filesUnder(dataDir, join(dataDir, 'workspace')).filter((file) => {
    const bytes = readFileSync(file);
    return needles.some((needle) => bytes.includes(needle));
  });
}
