import type { AuditSink } from '../retention/audit-sink';
import type { AuditKind, AuditLog } from './audit-log';

/** Retention reports its cuts into the audit hash chain, so deleting history is itself on the record. */
export function retentionAuditSink(audit: AuditLog): AuditSink {
  return {
    append: (entry) => void audit.record({ kind: entry.type as AuditKind, data: entry.detail }, entry.at),
  };
}
