import { callerLabel } from '../core/auth/caller-label';
import { hasScope, type Principal } from '../core/auth/scopes';
import type { McpEndpointDeps } from './mcp-endpoint-deps';
import { closeOnceAnswered, sameCredential, type McpSession } from './mcp-session';

/**
 * Sessions kept at once: past it, a new one takes the place of the least recently used with no call under way,
 * its own credential's first (a client that never says goodbye, as the SDK's own close() does not, leaves one
 * behind at every start).
 */
export const MAX_SESSIONS = 64;
/** Why a session cannot open (or be taken up again) when none can make room for it (`makeRoom`). */
export const NO_ROOM = `${MAX_SESSIONS} MCP sessions are open, each with a call under way (or, with half of them this credential's, another client's); try again once one has ended.`;

/** The open sessions, by id. */
export type OpenSessions = Map<string, McpSession>;

/**
 * Closes one session for a new one: the least recently used with no call under way, the same credential's first,
 * so that a client opening session after session (one that never says goodbye, a loop) does not close another
 * client's, nor a session whose call waits for the person. False when every session has a call under way.
 */
export function makeRoom(sessions: OpenSessions, principal: Principal, forget: (id: string) => void): boolean {
  const idle = [...sessions].filter(([, session]) => session.calls.size === 0);
  const rank = (session: McpSession) => (session.principal.id === principal.id ? 0 : 1);
  idle.sort(([, a], [, b]) => rank(a) - rank(b) || a.lastSeen - b.lastSeen);
  const [victim] = idle;
  if (!victim) return false;
  // A credential holding half the places already takes none of another's: past that, its own sessions (a runaway
  // loop, or calls held open on purpose) make room, or it waits, and the other clients keep theirs (a session closed
  // here is forgotten, and its client, told 404, does not initialize again).
  const holds = [...sessions.values()].filter((session) => sameCredential(session.principal, principal)).length;
  if (!sameCredential(victim[1].principal, principal) && holds >= MAX_SESSIONS / 2) return false;
  sessions.delete(victim[0]);
  forget(victim[0]);
  void victim[1].transport.close().catch(() => undefined);
  return true;
}

/**
 * A revoked key or an expired JWT ends its sessions, as it closes a WebSocket: the calls they still wait on are
 * cancelled (an approval the person has not answered leaves the page), so nothing runs for a credential that
 * no longer holds. So does a key changed to lack the `tools` scope; a key still holding it is taken as it is now.
 */
export function endSessionsOfLapsedCredentials(sessions: OpenSessions, deps: Pick<McpEndpointDeps, 'current' | 'keyName'>, forget: (id: string) => void): void {
  for (const [id, session] of sessions) {
    const current = deps.current(session.principal);
    if (current && hasScope(current, 'tools')) {
      session.principal = current;
      continue;
    }
    sessions.delete(id);
    forget(id);
    const what = current ? 'was changed to lack the "tools" scope' : 'was revoked or expired';
    session.endedBecause = `The ${callerLabel(session.principal, deps.keyName)} ${what} while the call was under way.`;
    // Its calls are answered first (the client reads why), then the session is closed.
    for (const stop of session.calls.values()) stop(session.endedBecause);
    void closeOnceAnswered(session);
  }
}
