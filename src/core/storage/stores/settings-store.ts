import type { Database, Statement } from 'better-sqlite3';
import type { z } from 'zod';

/** Typed settings: each read parses the stored JSON with the caller's schema and falls back to its default. */
export class SettingsStore {
  private readonly getStatement: Statement<[string], { value_json: string }>;
  private readonly setStatement: Statement;

  constructor(db: Database) {
    this.getStatement = db.prepare('SELECT value_json FROM settings WHERE key = ?');
    this.setStatement = db.prepare(
      'INSERT INTO settings (key, value_json, updated_at) VALUES (@key, @json, @at) ON CONFLICT(key) DO UPDATE SET value_json = @json, updated_at = @at',
    );
  }

  get<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const row = this.getStatement.get(key);
    if (!row) return fallback;
    const parsed = schema.safeParse(JSON.parse(row.value_json));
    return parsed.success ? parsed.data : fallback;
  }

  set<T>(key: string, schema: z.ZodType<T>, value: T, at: number): T {
    const valid = schema.parse(value);
    this.setStatement.run({ key, json: JSON.stringify(valid), at });
    return valid;
  }
}
