import { z } from 'zod';
import type { AuditEntry } from '../audit/audit-log';
import { type GrantFile, GrantFileAudit, type GrantFileAuditOptions } from '../audit/grant-file-audit';
import { loadHttpFetchConfig } from './http-fetch-config';
import { httpFetchTool } from './http-fetch-tool';

/**
 * The audit entries for what changed between two versions of http.fetch's allowlist: each domain added is a grant
 * of the built-in tool's reach, each one taken away a revocation, as a server's sandbox grant is.
 */
export function fetchDomainChanges(before: readonly string[], after: readonly string[]): AuditEntry[] {
  const entry = (kind: 'sandbox.granted' | 'sandbox.revoked', domain: string): AuditEntry => ({ kind, data: { tool: httpFetchTool.name, domain } });
  return [...after.filter((domain) => !before.includes(domain)).map((domain) => entry('sandbox.granted', domain)), ...before.filter((domain) => !after.includes(domain)).map((domain) => entry('sandbox.revoked', domain))];
}

/** What http-fetch.json grants: its allowlist (none when there is no file); null while the file is broken. */
function httpFetchFileGrants(file: string): GrantFile<string[]> {
  return {
    key: 'auditedGrants.httpFetchJson',
    schema: z.array(z.string()),
    none: [],
    changes: fetchDomainChanges,
    read: () => {
      const loaded = loadHttpFetchConfig(file);
      return loaded.problem ? null : loaded.config.allowedDomains;
    },
  };
}

/** http-fetch.json's allowlist on the audit chain, as each version is taken up and, for one changed while no Portcullis ran, at start. */
export class HttpFetchGrantAudit extends GrantFileAudit<string[]> {
  constructor(file: string, options: GrantFileAuditOptions) {
    super(httpFetchFileGrants(file), options);
  }
}
