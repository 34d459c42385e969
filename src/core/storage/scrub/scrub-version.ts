import { createHash } from 'node:crypto';
import { AUDIT_TABLE, SCRUBBED_TABLES } from './scrubbed-columns';

/**
 * Raise when the scrub learns new forms of a value (`secretForms`, `credentialsInJson`) or new places outside the
 * tables (the files in `exports/`): the tables and columns are in the version already.
 */
const FORMS_AND_FILES = 2; // 2: tool-pins.json

/**
 * What a data folder's scrub covered: the start-up scrub runs again on a folder scrubbed by an older one, since a
 * value may sit in a place that one did not know. Changes by itself when a table or column is added to the scrub.
 */
export const STORED_SECRET_SCRUB_VERSION = createHash('sha256')
  .update(JSON.stringify({ formsAndFiles: FORMS_AND_FILES, scrubbed: SCRUBBED_TABLES, audit: AUDIT_TABLE }))
  .digest('hex')
  .slice(0, 16);
