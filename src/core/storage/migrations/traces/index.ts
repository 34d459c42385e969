import type { Migration } from '../migration';
import { tracesMigration001 } from './001-spans-and-counters';

/** The schema of `traces.db` (spans and their counters), versioned apart from `portcullis.db`'s. */
export const tracesMigrations: readonly Migration[] = [tracesMigration001];
