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

/** Creates, lists, revokes and checks local API keys. */
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

  list(): ApiKeyInfo[] {
    return this.store.list().map(toInfo);
  }

  revoke(id: string): boolean {
    const now = this.clock.now();
    const revoked = this.store.revoke(id, now);
    if (revoked) this.audit?.record({ kind: 'api_key.revoked', data: { id } }, now);
    return revoked;
  }

  /** Whether the key behind a principal still works (for long-lived connections: revocation applies at once). */
  isActive(id: string): boolean {
    const row = this.store.get(id);
    return !!row && row.revokedAt === null && (row.expiresAt === null || row.expiresAt > this.clock.now());
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
    const principal: Principal = { kind: 'api-key', id: `key:${id}`, scopes: row.scopes.filter(isScope) };
    return { ok: true, principal: row.tools === null ? principal : { ...principal, toolLimit: { keyName: row.name, patterns: row.tools } } };
  }
}
