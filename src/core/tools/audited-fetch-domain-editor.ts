import type { AuditLog } from '../audit/audit-log';
import { HttpFetchConfigEditor } from './http-fetch-config-editor';
import { httpFetchTool } from './http-fetch-tool';

/**
 * http.fetch's allowlist editor with each change on the audit chain, as a server's sandbox grant is: the same for
 * Tools & servers (the channels) and `portcullis web`, so a domain added from a terminal is recorded as one added
 * on the page.
 */
export function auditedFetchDomainEditor(file: string, audit: Pick<AuditLog, 'record'>, onSaved: () => void = () => undefined): HttpFetchConfigEditor {
  return new HttpFetchConfigEditor({
    file,
    onSaved,
    onAllowed: (domain) => audit.record({ kind: 'sandbox.granted', data: { tool: httpFetchTool.name, domain } }),
    onRemoved: (domain) => audit.record({ kind: 'sandbox.revoked', data: { tool: httpFetchTool.name, domain } }),
  });
}
