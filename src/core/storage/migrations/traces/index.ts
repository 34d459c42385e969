import type { Migration } from '../migration';
import { tracesMigration001 } from './001-spans-and-counters';
import { tracesMigration002 } from './002-roots-by-conversation';

/** The schema of `traces.db` (spans and their counters), versioned apart from `portcullis.db`'s. */
export const tracesMigrations: readonly Migration[] = [tracesMigration001, tracesMigration002];
