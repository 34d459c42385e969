import { AppError } from '../../shared/errors';
import type { Clock } from '../clock';
import type { ApiKeyRow, ApiKeyStore } from '../storage/stores/api-key-store';
import { apiKeyHashMatches, apiKeyId, generateApiKey, hashApiKey } from './api-key-format';
import { parseKeyTools, unlimitableScopes } from './key-tool-limit';
import { isScope, type Principal, type Scope } from './scopes';
import type { AuditLog } from '../audit/audit-log';

/** What may be shown about a key: everything but its hash (the key itself is never stored). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  /** The tool globs the key is limited to (`fs.read`, `everything.*`); null: every tool its scopes reach. */
  tools: string[] | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export type ApiKeyCheck =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'malformed-key' | 'unknown-key' | 'wrong-key' }
  // Only a caller holding the key itself (its hash matched) learns that it was revoked or when it expired.
  | { ok: false; reason: 'revoked-key' }
  | { ok: false; reason: 'expired-key'; expiredAt: number };

function toInfo(row: ApiKeyRow): ApiKeyInfo {
  const { keyHash: _hash, ...rest } = row;
  return { ...rest, scopes: row.scopes.filter(isScope) };
}

function principalOf(row: ApiKeyRow): Principal {
  const principal: Principal = { kind: 'api-key', id: `key:${row.id}`, scopes: row.scopes.filter(isScope) };
  return row.tools === null ? principal : { ...principal, toolLimit: { holder: `key "${row.name}"`, source: 'key', patterns: row.tools } };
}

/** Creates, lists, changes, revokes and checks local API keys. */
export class ApiKeyService {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly clock: Clock,
    /** Where a key's creation and revocation are recorded: who could act for the person, and from when. */
    private readonly audit?: AuditLog,
  ) {}

  /** Returns the key once; only its hash is kept. */
  create(options: { name: string; scopes: Scope[]; expiresAt?: number | null; tools?: readonly string[] | null }): { key: string; info: ApiKeyInfo } {
    const name = options.name.trim();
    if (!name) throw new Error('An API key needs a name, so you can tell your keys apart later.');
    if (options.scopes.length === 0) throw new Error('An API key needs at least one scope.');
    const tools = parseKeyTools(options.tools);
    const unlimitable = tools === null ? null : unlimitableScopes(options.scopes);
    if (unlimitable) throw new Error(unlimitable);
    const now = this.clock.now();
    if (options.expiresAt != null && options.expiresAt <= now) throw new Error('The expiry must be in the future.');
    const { id, key } = generateApiKey();
    this.store.insert({ id, name, keyHash: hashApiKey(key), scopes: options.scopes, tools, createdAt: now, expiresAt: options.expiresAt ?? null });
    this.audit?.record({ kind: 'api_key.created', data: { id, name, scopes: options.scopes, tools, expiresAt: options.expiresAt ?? null } }, now);
    return { key, info: toInfo(this.store.get(id)!) };
  }

  /**
   * Changes a key's scopes or tools (`tools`: null for every tool, undefined to keep its list), under the rules a new
   * key is made by; it holds from the key's next request, and open connections and /mcp sessions take it up.
   */
  update(id: string, change: { scopes?: Scope[]; tools?: readonly string[] | null }): ApiKeyInfo {
    const row = this.store.get(id);
    if (!row || row.revokedAt !== null) throw new AppError('NOT_FOUND', `No active key with id "${id.slice(0, 40)}".`);
    const scopes = change.scopes ?? row.scopes.filter(isScope);
    if (scopes.length === 0) throw new Error('An API key needs at least one scope.');
    const tools = change.tools === undefined ? row.tools : parseKeyTools(change.tools);
    const unlimitable = tools === null ? null : unlimitableScopes(scopes);
    // Given new scopes only, the key keeps its list: say how to lift it, as well as why.
    if (unlimitable) throw new Error(change.tools === undefined ? `${unlimitable} It keeps its tools (${tools!.join(', ')}) unless given every tool too (--all-tools).` : unlimitable);
    if (!this.store.update(id, scopes, tools)) throw new AppError('NOT_FOUND', `No active key with id "${id.slice(0, 40)}".`);
    const now = this.clock.now();
    this.audit?.record({ kind: 'api_key.updated', data: { id, name: row.name, scopes, tools, before: { scopes: row.scopes, tools: row.tools } } }, now);
    return toInfo(this.store.get(id)!);
  }

  list(): ApiKeyInfo[] {
    return this.store.list().map(toInfo);
  }

  revoke(id: string): boolean {
    const now = this.clock.now();
    const revoked = this.store.revoke(id, now);
    if (revoked) this.audit?.record({ kind: 'api_key.revoked', data: { id } }, now);
    return revoked;
  }

  check(presented: string): ApiKeyCheck {
    const id = apiKeyId(presented);
    if (!id) return { ok: false, reason: 'malformed-key' };
    const row = this.store.get(id);
    if (!row) return { ok: false, reason: 'unknown-key' };
    if (!apiKeyHashMatches(presented, row.keyHash)) return { ok: false, reason: 'wrong-key' };
    if (row.revokedAt !== null) return { ok: false, reason: 'revoked-key' };
    const now = this.clock.now();
    if (row.expiresAt !== null && row.expiresAt <= now) return { ok: false, reason: 'expired-key', expiredAt: row.expiresAt };
    // "Last used" to the minute: a write per request would cost more than the whole check.
    if (row.lastUsedAt === null || now - row.lastUsedAt >= 60_000) this.store.touch(id, now);
    return { ok: true, principal: principalOf(row) };
  }

  /**
   * The principal of a key as it stands now (its scopes and tools changed since, perhaps), for a connection or an
   * /mcp session that presented it earlier; null once it no longer works (revoked, expired).
   */
  currentPrincipal(id: string): Principal | null {
    const row = this.store.get(id);
    if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= this.clock.now())) return null;
    return principalOf(row);
  }
}
