import type { Migration } from './migration';

/**
 * The budget a turn's answer came after (`answered_at_budget`: JSON `{"budget":"steps","limit":8}`): its model was
 * told to stop calling tools and answer from what it had, which the chat says under the answer. Null for any other
 * message, and for answers before it. Version 29.
 */
export const migration029: Migration = {
  version: 29,
  name: 'answers at budget',
  up(db) {
    db.exec('ALTER TABLE messages ADD COLUMN answered_at_budget TEXT');
  },
};
