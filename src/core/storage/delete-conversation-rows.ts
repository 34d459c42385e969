import type { Database } from 'better-sqlite3';
import type { ConversationDeletion } from '../../shared/domain/conversation';

/**
 * Deletes one conversation with everything that hangs off it: messages, tool calls, approvals, allowances and
 * taint go by cascade; its traces are found through its messages and its root spans, since spans carry the
 * conversation only on the root. `tracesDb` may be `db` itself (the private space keeps spans beside the rest).
 * Memories it produced stay: they belong to the person, and lose only their link back. `traceIds` are the traces
 * deleted, for spans of them still on their way to the file (`SpanWriterThread.forget`).
 */
export function deleteConversationRows(
  db: Database, tracesDb: Database, conversationId: string,
): (ConversationDeletion & { traceIds: readonly string[] }) | null {
  const traceIds = new Set<string>(
    db.prepare('SELECT DISTINCT trace_id FROM messages WHERE conversation_id = ? AND trace_id IS NOT NULL').pluck().all(conversationId) as string[],
  );
  for (const traceId of tracesDb.prepare('SELECT trace_id FROM spans WHERE parent_span_id IS NULL AND conversation_id = ?').pluck().all(conversationId) as string[]) {
    traceIds.add(traceId);
  }
  const messages = (db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(conversationId) as number);
  const deleted = db.transaction(() => db.prepare('DELETE FROM conversations WHERE id = ?').run(conversationId).changes).immediate();
  if (deleted === 0) return null;
  const deleteTrace = tracesDb.prepare('DELETE FROM spans WHERE trace_id = ?');
  const spans = tracesDb.transaction(() => [...traceIds].reduce((sum, traceId) => sum + deleteTrace.run(traceId).changes, 0))();
  return { messages, spans, traceIds: [...traceIds] };
}
