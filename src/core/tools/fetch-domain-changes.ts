import type { AuditEntry } from '../audit/audit-log';
import { httpFetchTool } from './http-fetch-tool';

/**
 * The audit entries for what changed between two versions of http.fetch's allowlist: each domain added is a grant
 * of the built-in tool's reach, each one taken away a revocation, as a server's sandbox grant is.
 */
export function fetchDomainChanges(before: readonly string[], after: readonly string[]): AuditEntry[] {
  const entry = (kind: 'sandbox.granted' | 'sandbox.revoked', domain: string): AuditEntry => ({ kind, data: { tool: httpFetchTool.name, domain } });
  return [...after.filter((domain) => !before.includes(domain)).map((domain) => entry('sandbox.granted', domain)), ...before.filter((domain) => !after.includes(domain)).map((domain) => entry('sandbox.revoked', domain))];
}
