import { hasScope, type Principal } from '../core/auth/scopes';
import type { StoredInitialize, StoredMcpSession } from '../core/storage/stores/mcp-session-store';
import type { McpEndpointDeps, McpSessionStorage } from './mcp-endpoint-deps';
import { sameCredential, type McpSession } from './mcp-session';
import { reviveTransport } from './mcp-session-revival';
import { MAX_SESSIONS, type OpenSessions } from './mcp-sessions';
import { toolSelection, type ToolSelection } from './mcp-tool-selection';

/**
 * How long a session its client has not used is kept for it across a restart of Portcullis: a week covers a
 * weekend or a holiday away from the editor; older, its client is told it is not found and starts a new one.
 */
export const SESSION_IDLE_LIMIT_MS = 7 * 24 * 60 * 60 * 1000;
/** How often a session's last use is written down: the limit above is days, not seconds. */
const SEEN_WRITE_EVERY_MS = 60_000;
/** How often the kept sessions of revoked, narrowed or expired credentials, and the idle ones, are forgotten. */
export const STORAGE_CHECK_EVERY_MS = 60_000;

/** Opens a session for what was kept of one, or 'full' when no open session can make room for it. */
export type OpenKept = (stored: StoredMcpSession, selection: ToolSelection | null) => McpSession | 'full';

/**
 * The sessions kept across a restart of Portcullis (`deps.storage`): written down as they open, their last use
 * noted, taken up again when their clients come back, forgotten once they could not be.
 */
export function createKeptSessions(deps: Pick<McpEndpointDeps, 'storage' | 'current' | 'instance'>, sessions: OpenSessions) {
  /** Sessions being taken up again after a restart, by id: a client's GET and POST may both arrive first. */
  const reviving = new Map<string, Promise<McpSession | 'full' | null>>();

  /**
   * A kept session is written down, read and forgotten through this: storage that fails (a locked or read-only
   * database) only means a session will not survive the next restart; the request is served all the same.
   */
  function kept<T>(use: (storage: McpSessionStorage) => T): T | undefined {
    try {
      return use(deps.storage);
    } catch {
      return undefined;
    }
  }

  function forget(id: string): void {
    kept((storage) => storage.delete(id));
  }

  /** Whether another Portcullis process on the data folder, still running, holds a kept session open. */
  function heldElsewhere(stored: StoredMcpSession): boolean {
    const { holder } = stored;
    return holder !== undefined && holder.instance !== deps.instance.id && deps.instance.isAlive(holder.instance, holder.pid);
  }

  return {
    kept,
    forget,

    /**
     * Kept sessions no open session stands for are forgotten once they could not be taken up again: their key was
     * revoked, deleted or changed to lack the `tools` scope, their JWT expired, or their client left them unused
     * past SESSION_IDLE_LIMIT_MS.
     */
    forgetLapsed(): void {
      const now = Date.now();
      for (const stored of kept((storage) => storage.all()) ?? []) {
        if (sessions.has(stored.id)) continue;
        const current = deps.current(stored.principal);
        if (current && hasScope(current, 'tools') && now - stored.lastSeenAt <= SESSION_IDLE_LIMIT_MS) continue;
        // Another process's open session: it ends and forgets it itself (its own check runs there).
        if (heldElsewhere(stored)) continue;
        forget(stored.id);
      }
    },

    /** Writes down a session just opened (or taken up again), to take it up again after a restart. */
    keep(id: string, session: McpSession, initialize: StoredInitialize): void {
      const { protocolVersion, capabilities, clientInfo } = initialize;
      const { kind, id: principalId, scopes, expiresAt } = session.principal;
      kept((storage) => {
        storage.save({
          id,
          principal: { kind, id: principalId, scopes, ...(expiresAt === undefined ? {} : { expiresAt }) },
          // What the client sent: the store masks the secrets in it as it writes it.
          initialize: { protocolVersion, capabilities, clientInfo },
          tools: session.selection?.said ?? null,
          conversationId: session.conversationId,
          openedAt: session.openedAt,
          lastSeenAt: session.lastSeen,
          holder: { instance: deps.instance.id, pid: deps.instance.pid },
        });
        // No more than are kept open: a client that never says goodbye leaves one behind at every start. The oldest
        // of those no open session stands for go first, this process's or another's (the app and a `serve` on one
        // data folder); the open ones' place is settled by makeRoom, in the process that holds them.
        const all = storage.all();
        let over = all.length - MAX_SESSIONS;
        for (const row of all.reverse()) {
          if (over <= 0) break;
          if (sessions.has(row.id) || heldElsewhere(row)) continue;
          storage.delete(row.id);
          over -= 1;
        }
      });
    },

    /** Its client sent a request just now, with the credential the gate found. */
    seen(id: string, session: McpSession, principal: Principal): void {
      session.lastSeen = Date.now();
      // A JWT client sends a newer token before the last runs out: what is kept lasts as long as the newest, or
      // the check at the next start would take the session for an expired token's and forget it.
      const renewed = principal.expiresAt !== undefined && principal.expiresAt !== session.principal.expiresAt;
      if (renewed || session.lastSeen - session.storedSeen > SEEN_WRITE_EVERY_MS) {
        session.storedSeen = session.lastSeen;
        kept((storage) => storage.seen(id, session.lastSeen, principal.expiresAt));
      }
    },

    /**
     * The session a client opened before Portcullis restarted, taken up again under its id, in its conversation and
     * as its client initialized it: a client keeps its session id across the restart and would otherwise be told
     * "not found" at every call (the SDK's Client does not initialize again). Only for the credential that opened
     * it and only within SESSION_IDLE_LIMIT_MS; 'full' when every open session has a call under way.
     */
    revive(id: string, principal: Principal, open: OpenKept): Promise<McpSession | 'full' | null> {
      const pending = reviving.get(id);
      if (pending) return pending;
      const revival = (async (): Promise<McpSession | 'full' | null> => {
        const stored = kept((storage) => storage.find(id));
        if (!stored || !sameCredential(stored.principal, principal)) return null;
        if (Date.now() - stored.lastSeenAt > SESSION_IDLE_LIMIT_MS) {
          forget(id);
          return null;
        }
        let selection: ToolSelection | null;
        try {
          selection = stored.tools === null ? null : toolSelection(`/?tools=${encodeURIComponent(stored.tools)}`);
        } catch {
          // A selection this build cannot read is not widened to every tool (its URL narrowed what the client's model
          // is offered): the session is not found, as a session was before they were kept.
          forget(id);
          return null;
        }
        const session = open(stored, selection);
        if (session === 'full') return 'full';
        await session.server.connect(session.transport);
        if (!(await reviveTransport(session.transport, id, stored.initialize).catch(() => false))) {
          sessions.delete(id);
          await session.server.close().catch(() => undefined);
          return null;
        }
        return session;
      })().finally(() => reviving.delete(id));
      reviving.set(id, revival);
      return revival;
    },
  };
}

export type KeptSessions = ReturnType<typeof createKeptSessions>;
