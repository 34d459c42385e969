import type { Migration } from './migration';

/**
 * The trace of the turn a claim is for: a retried turn writes no message naming its trace until its model's first
 * reply, so an app started beside it meanwhile found the trace's spans (its route, finished) with no live turn to
 * them, and gave it an "interrupted" root; its real root came at its end, a second one. Null for a claim that is not
 * a model's turn (a direct call's, whose messages name its trace from its start; a delete's hold). Version 32.
 */
export const migration032: Migration = {
  version: 32,
  name: 'turn claim traces',
  up(db) {
    db.exec('ALTER TABLE turn_claims ADD COLUMN trace_id TEXT');
  },
};
