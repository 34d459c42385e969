import type { Migration } from './migration';

/**
 * Which Portcullis process holds each kept `/mcp` session open (`holder_instance`, its `runtimes/<id>.lock`, and its
 * pid): two processes on one data folder (the app and a `serve`) each trimmed the rows to 64 knowing only their own
 * open sessions, and could forget the other's, which then did not survive its restart. Null: no process holds it
 * open (its process closed it, or it was kept by an older build). Version 22.
 */
export const migration022: Migration = {
  version: 22,
  name: 'mcp session holders',
  up(db) {
    db.exec('ALTER TABLE mcp_sessions ADD COLUMN holder_instance TEXT');
    db.exec('ALTER TABLE mcp_sessions ADD COLUMN holder_pid INTEGER');
  },
};
