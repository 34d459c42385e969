import type { Migration } from './migration';

/**
 * Keeps a reasoning model's thinking with its reply (its `<think>` block or its server's reasoning field), apart from
 * the answer: shown folded above it, never sent back to the model. `reasoning_ms`: how long it thought. Version 24.
 */
export const migration024: Migration = {
  version: 24,
  name: 'reply reasoning',
  up(db) {
    db.exec('ALTER TABLE messages ADD COLUMN reasoning TEXT');
    db.exec('ALTER TABLE messages ADD COLUMN reasoning_ms INTEGER');
  },
};
