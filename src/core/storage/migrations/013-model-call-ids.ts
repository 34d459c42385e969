import type { Migration } from './migration';

/**
 * The id the model gave each tool call. A tool result goes back to the model under that id: hosted APIs refuse a
 * result whose id is not one of the calls before it (OpenAI's `tool_call_id`, Anthropic's `tool_use_id`), and
 * the call's own record id was sent instead. Rows written before this have none; their results are matched to
 * the calls by position (`answerEveryToolCall`). Version 13.
 */
export const migration013: Migration = {
  version: 13,
  name: 'model call ids',
  up(db) {
    db.exec('ALTER TABLE tool_calls ADD COLUMN model_call_id TEXT');
  },
};
