/**
 * What a caller of the API may do. A principal is whoever presented a credential: the desktop window, the
 * browser session opened from the printed URL, an API key or a JWT. `admin` implies every other scope, and `chat`
 * implies `tools` (a chat turn can make any governed call); `tools` alone calls tools and reads the servers'
 * prompts and resources, as an MCP client needs, without the person's conversations, memories or model.
 */
export const SCOPES = ['chat', 'tools', 'approve', 'traces:read', 'traces:content', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export type PrincipalKind = 'desktop' | 'session' | 'api-key' | 'jwt' | 'terminal';

export interface Principal {
  kind: PrincipalKind;
  /** A non-secret id for logs: the key id, the JWT subject, or "session". Never the credential itself. */
  id: string;
  scopes: readonly Scope[];
  /** When the credential stops working (a JWT's exp, a key's expiry), epoch ms; absent: until revoked. */
  expiresAt?: number;
  /** The tools an API key (`--tools`) or a JWT (its `tools` claim) is limited to; absent: every tool its scopes reach. */
  toolLimit?: ToolLimit;
}

export interface ToolLimit {
  /** Who is limited, in a refusal's words: `key "Cursor"`, `JWT ci`. */
  holder: string;
  /** Where the list comes from, for what to do about a refusal: a key's tools, or a JWT's `tools` claim. */
  source: 'key' | 'jwt';
  /** Globs over Portcullis' tool names (`fs.read`, `everything.*`). */
  patterns: readonly string[];
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

export function hasScope(principal: Pick<Principal, 'scopes'> | null | undefined, scope: Scope): boolean {
  if (!principal) return false;
  return principal.scopes.includes(scope) || principal.scopes.includes('admin') || (scope === 'tools' && principal.scopes.includes('chat'));
}

/** The desktop window and the printed-URL session act as the person at the keyboard: every scope. */
export function fullAccessPrincipal(kind: 'desktop' | 'session'): Principal {
  return { kind, id: kind, scopes: [...SCOPES] };
}

/**
 * A `portcullis` command on the running app's data folder (`terminal-access.json`): it lists the tools and calls them
 * as the terminal did alone, and asks what the same command does alone (terminal-channels.ts), no more. Not
 * `approve`: a command never answers the person's approvals.
 */
export function terminalPrincipal(): Principal {
  return { kind: 'terminal', id: 'terminal', scopes: ['chat'] };
}

/** Parses a list of scope names; unknown names are an error so a typo never silently grants less (or more). */
export function parseScopes(values: readonly string[]): Scope[] {
  const unknown = values.filter((value) => !isScope(value));
  if (unknown.length > 0) {
    throw new Error(`Unknown scope ${unknown.map((u) => `"${u}"`).join(', ')}; the scopes are ${SCOPES.join(', ')}.`);
  }
  return [...new Set(values)] as Scope[];
}
