import type { Database, Statement } from 'better-sqlite3';

export interface ApiKeyRow {
  id: string;
  name: string;
  keyHash: string;
  scopes: string[];
  /** The tool globs the key is limited to; null: every tool. */
  tools: string[] | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

interface RawRow {
  id: string;
  name: string;
  key_hash: string;
  scopes_json: string;
  tools_json: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

function toRow(raw: RawRow): ApiKeyRow {
  return {
    id: raw.id,
    name: raw.name,
    keyHash: raw.key_hash,
    scopes: JSON.parse(raw.scopes_json) as string[],
    tools: raw.tools_json === null ? null : (JSON.parse(raw.tools_json) as string[]),
    createdAt: raw.created_at,
    expiresAt: raw.expires_at,
    revokedAt: raw.revoked_at,
    lastUsedAt: raw.last_used_at,
  };
}

/** API key rows (hashes only). Every lookup reads the database, so a revocation by another process applies at once. */
export class ApiKeyStore {
  private readonly insertStatement: Statement;
  private readonly getStatement: Statement<[string], RawRow>;
  private readonly listStatement: Statement<[], RawRow>;
  private readonly revokeStatement: Statement<[number, string]>;
  private readonly touchStatement: Statement<[number, string]>;
  private readonly updateStatement: Statement<[string, string | null, string]>;

  constructor(db: Database) {
    this.insertStatement = db.prepare(
      'INSERT INTO api_keys (id, name, key_hash, scopes_json, tools_json, created_at, expires_at) VALUES (@id, @name, @keyHash, @scopesJson, @toolsJson, @createdAt, @expiresAt)',
    );
    this.getStatement = db.prepare('SELECT * FROM api_keys WHERE id = ?');
    // rowid keeps keys made in one millisecond in the order they were made (their ids are random).
    this.listStatement = db.prepare('SELECT * FROM api_keys ORDER BY created_at, rowid');
    this.revokeStatement = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.touchStatement = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
    this.updateStatement = db.prepare('UPDATE api_keys SET scopes_json = ?, tools_json = ? WHERE id = ? AND revoked_at IS NULL');
  }

  insert(row: Omit<ApiKeyRow, 'revokedAt' | 'lastUsedAt' | 'tools'> & { tools?: string[] | null }): void {
    this.insertStatement.run({ ...row, scopesJson: JSON.stringify(row.scopes), toolsJson: row.tools == null ? null : JSON.stringify(row.tools) });
  }

  get(id: string): ApiKeyRow | undefined {
    const raw = this.getStatement.get(id);
    return raw ? toRow(raw) : undefined;
  }

  list(): ApiKeyRow[] {
    return this.listStatement.all().map(toRow);
  }

  /** True when the key existed and was not already revoked. */
  revoke(id: string, at: number): boolean {
    return this.revokeStatement.run(at, id).changes > 0;
  }

  /** A key's scopes and tools, changed; true when the key exists and is not revoked. */
  update(id: string, scopes: readonly string[], tools: readonly string[] | null): boolean {
    return this.updateStatement.run(JSON.stringify(scopes), tools === null ? null : JSON.stringify(tools), id).changes > 0;
  }

  touch(id: string, at: number): void {
    this.touchStatement.run(at, id);
  }
}
