import type { Database, Statement } from 'better-sqlite3';
import type { PrincipalKind, Scope } from '../../auth/scopes';

/** What the client sent in its `initialize` (MCP's InitializeRequest params), as it sent them. */
export interface StoredInitialize {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string; [field: string]: unknown };
}

/** An MCP session at `/mcp`, as kept across a restart of Portcullis (migration 21). */
export interface StoredMcpSession {
  id: string;
  /** Whose it is: a key's id, a JWT's subject. Its scopes as they were (a key's current ones are looked up). */
  principal: { kind: PrincipalKind; id: string; scopes: readonly Scope[]; expiresAt?: number };
  initialize: StoredInitialize;
  /** The tools its URL picked (`?tools=`), as given; null: every tool. */
  tools: string | null;
  conversationId: string | null;
  openedAt: number;
  lastSeenAt: number;
}

interface SessionRow {
  id: string;
  principal_kind: string;
  principal_id: string;
  scopes_json: string;
  expires_at: number | null;
  initialize_json: string;
  tools: string | null;
  conversation_id: string | null;
  opened_at: number;
  last_seen_at: number;
}

/** The MCP sessions Portcullis would take up again after a restart, one row each. */
export class McpSessionStore {
  private readonly putStatement: Statement;
  private readonly getStatement: Statement<[string], SessionRow>;
  private readonly allStatement: Statement<[], SessionRow>;
  private readonly conversationStatement: Statement<[string | null, string]>;
  private readonly seenStatement: Statement<[number, string]>;
  private readonly deleteStatement: Statement<[string]>;

  constructor(db: Database) {
    this.putStatement = db.prepare(
      `INSERT OR REPLACE INTO mcp_sessions (id, principal_kind, principal_id, scopes_json, expires_at, initialize_json, tools, conversation_id, opened_at, last_seen_at)
       VALUES (@id, @principalKind, @principalId, @scopes, @expiresAt, @initialize, @tools, @conversationId, @openedAt, @lastSeenAt)`,
    );
    this.getStatement = db.prepare('SELECT * FROM mcp_sessions WHERE id = ?');
    this.allStatement = db.prepare('SELECT * FROM mcp_sessions ORDER BY last_seen_at DESC');
    this.conversationStatement = db.prepare('UPDATE mcp_sessions SET conversation_id = ? WHERE id = ?');
    this.seenStatement = db.prepare('UPDATE mcp_sessions SET last_seen_at = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM mcp_sessions WHERE id = ?');
  }

  save(session: StoredMcpSession): void {
    this.putStatement.run({
      id: session.id,
      principalKind: session.principal.kind,
      principalId: session.principal.id,
      scopes: JSON.stringify(session.principal.scopes),
      expiresAt: session.principal.expiresAt ?? null,
      initialize: JSON.stringify(session.initialize),
      tools: session.tools,
      conversationId: session.conversationId,
      openedAt: session.openedAt,
      lastSeenAt: session.lastSeenAt,
    });
  }

  find(id: string): StoredMcpSession | null {
    const row = this.getStatement.get(id);
    return row ? fromRow(row) : null;
  }

  /** Every stored session, the most recently used first. */
  all(): StoredMcpSession[] {
    return this.allStatement.all().map(fromRow);
  }

  setConversation(id: string, conversationId: string | null): void {
    this.conversationStatement.run(conversationId, id);
  }

  seen(id: string, at: number): void {
    this.seenStatement.run(at, id);
  }

  delete(id: string): void {
    this.deleteStatement.run(id);
  }
}

function fromRow(row: SessionRow): StoredMcpSession {
  return {
    id: row.id,
    principal: {
      kind: row.principal_kind as PrincipalKind,
      id: row.principal_id,
      scopes: JSON.parse(row.scopes_json) as Scope[],
      ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    },
    initialize: JSON.parse(row.initialize_json) as StoredInitialize,
    tools: row.tools,
    conversationId: row.conversation_id,
    openedAt: row.opened_at,
    lastSeenAt: row.last_seen_at,
  };
}
