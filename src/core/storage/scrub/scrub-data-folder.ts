import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultDataDir, prepareDataFolder } from '../../config/data-paths';
import { openDatabase } from '../database';
import { openTracesConnection } from '../traces/open-traces-database';
import { scrubStoredSecrets, type ScrubReport } from './stored-secret-scrubber';

/**
 * Scrubs the values from a data folder's files on connections of its own: a `portcullis secrets` command, beside
 * the running app or without it. Null when the folder holds no database (nothing stored, nothing to scrub; the
 * folder is not created for it).
 */
export async function scrubDataFolder(dataDir: string | undefined, values: Iterable<string>): Promise<ScrubReport | null> {
  if (!existsSync(join(resolve(dataDir ?? defaultDataDir()), 'portcullis.db'))) return null;
  const paths = prepareDataFolder(dataDir);
  const main = openDatabase(paths.databaseFile);
  try {
    const traces = openTracesConnection(paths.tracesFile);
    try {
      return await scrubStoredSecrets({ main, traces, dataDir: paths.dataDir }, values);
    } finally {
      traces.close();
    }
  } finally {
    main.close();
  }
}
