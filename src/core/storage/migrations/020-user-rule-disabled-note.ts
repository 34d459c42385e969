import type { Migration } from './migration';

/**
 * An "Always allow" rule turned off by Portcullis, with why (`disabled_note`): a rule whose pattern held the value
 * of a secret stored later is masked by the secrets scrub, and a masked pattern no longer matches what it was made
 * for, so it stays listed, off, saying so, until the person revokes it. Null: the rule is in force.
 * Version 20.
 */
export const migration020: Migration = {
  version: 20,
  name: 'user rule disabled note',
  up(db) {
    db.exec('ALTER TABLE policy_user_rules ADD COLUMN disabled_note TEXT');
  },
};
