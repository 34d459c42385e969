import type { Database, Statement } from 'better-sqlite3';
import type { PrincipalKind, Scope } from '../../auth/scopes';
import type { Redactor } from '../../redaction/redactor';

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
  /**
   * The Portcullis process that holds it open (its `RuntimeInstance`), while one does: another process on the data
   * folder leaves it to that one to forget (migration 22). Absent: none.
   */
  holder?: SessionHolder | undefined;
}

/** A process that holds a session open: its `runtimes/<instance>.lock` and its pid. */
export interface SessionHolder {
  instance: string;
  pid: number;
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
  holder_instance: string | null;
  holder_pid: number | null;
}

/** The MCP sessions Portcullis would take up again after a restart, one row each. */
export class McpSessionStore {
  private readonly putStatement: Statement;
  private readonly getStatement: Statement<[string], SessionRow>;
  private readonly allStatement: Statement<[], SessionRow>;
  private readonly conversationStatement: Statement<[string | null, string]>;
  private readonly seenStatement: Statement<[number, number | null, string]>;
  private readonly deleteStatement: Statement<[string]>;
  private readonly releaseStatement: Statement<[string, string]>;

  /**
   * `redactor` masks secrets in what the client sent (`initialize`: any text it chose, a name, a capability's field)
   * before it is written, here and nowhere else, so no code that saves a session can forget it; the caller's session
   * keeps the real values.
   */
  constructor(db: Database, private readonly redactor: Redactor) {
    this.putStatement = db.prepare(
      `INSERT OR REPLACE INTO mcp_sessions (id, principal_kind, principal_id, scopes_json, expires_at, initialize_json, tools, conversation_id, opened_at, last_seen_at, holder_instance, holder_pid)
       VALUES (@id, @principalKind, @principalId, @scopes, @expiresAt, @initialize, @tools, @conversationId, @openedAt, @lastSeenAt, @holderInstance, @holderPid)`,
    );
    this.getStatement = db.prepare('SELECT * FROM mcp_sessions WHERE id = ?');
    this.allStatement = db.prepare('SELECT * FROM mcp_sessions ORDER BY last_seen_at DESC');
    this.conversationStatement = db.prepare('UPDATE mcp_sessions SET conversation_id = ? WHERE id = ?');
    this.seenStatement = db.prepare('UPDATE mcp_sessions SET last_seen_at = ?, expires_at = COALESCE(?, expires_at) WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM mcp_sessions WHERE id = ?');
    this.releaseStatement = db.prepare('UPDATE mcp_sessions SET holder_instance = NULL, holder_pid = NULL WHERE id = ? AND holder_instance = ?');
  }

  save(session: StoredMcpSession): void {
    this.putStatement.run({
      id: session.id,
      principalKind: session.principal.kind,
      principalId: session.principal.id,
      scopes: JSON.stringify(session.principal.scopes),
      expiresAt: session.principal.expiresAt ?? null,
      initialize: JSON.stringify(this.redactor.redactValue(session.initialize)),
      tools: session.tools,
      conversationId: session.conversationId,
      openedAt: session.openedAt,
      lastSeenAt: session.lastSeenAt,
      holderInstance: session.holder?.instance ?? null,
      holderPid: session.holder?.pid ?? null,
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

  /** Its client's last use; with `expiresAt`, its credential's new end (a JWT client sends a newer token as one runs out). */
  seen(id: string, at: number, expiresAt?: number): void {
    this.seenStatement.run(at, expiresAt ?? null, id);
  }

  delete(id: string): void {
    this.deleteStatement.run(id);
  }

  /** The process `instance` no longer holds the session open (it closed it): kept, held by none. */
  release(id: string, instance: string): void {
    this.releaseStatement.run(id, instance);
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
    ...(row.holder_instance === null || row.holder_pid === null ? {} : { holder: { instance: row.holder_instance, pid: row.holder_pid } }),
  };
}
