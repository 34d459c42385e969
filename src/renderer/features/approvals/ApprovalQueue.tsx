import { useCallback, useRef, useState, type RefObject } from 'react';
import { useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { approvalsHeading } from '../../../shared/approval-waiting-words';
import type { Conversation } from '../../../shared/domain/conversation';
import type { Approvals } from './useApprovals';
import { ApprovalDialog } from './ApprovalDialog';

export interface ApprovalQueueProps {
  approvals: Approvals;
  currentConversationId: string | null;
  conversations: readonly Conversation[];
  onOpenConversation: (conversationId: string) => void;
  /** Where the keyboard goes when the last request is answered. */
  composerRef: RefObject<HTMLTextAreaElement | null>;
}

/** Every pending request, listed together above the composer, each decidable on its own. */
export function ApprovalQueue({ approvals, currentConversationId, conversations, onOpenConversation, composerRef }: ApprovalQueueProps) {
  const container = useRef<HTMLElement>(null);
  const [batchError, setBatchError] = useState<string | null>(null);
  /** The notes typed in the requests, by approval id. */
  const notes = useRef(new Map<string, string>());
  const onNoteChange = useCallback((approvalId: string, note: string) => void notes.current.set(approvalId, note), []);
  const offline = useConnection().state !== 'open';
  /** The requests whose arguments the person edited: "Allow all" would run their original arguments instead. */
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const onEditedChange = useCallback((approvalId: string, isEdited: boolean) => {
    setEdited((current) => {
      if (current.has(approvalId) === isEdited) return current;
      const next = new Set(current);
      if (isEdited) next.add(approvalId);
      else next.delete(approvalId);
      return next;
    });
  }, []);
  if (approvals.pending.length === 0) return null;

  const decideAll = (choice: 'allow_once' | 'deny') => {
    setBatchError(null);
    // A request with a note typed in it is answered on its own, so that its note goes with the answer (to the model).
    const ids = approvals.pending.map((r) => r.id);
    const noted = ids.filter((id) => notes.current.get(id)?.trim());
    const rest = ids.filter((id) => !noted.includes(id));
    const sent = Promise.all([...noted.map((id) => approvals.decide(id, choice, notes.current.get(id))), ...(rest.length > 0 ? [approvals.decideAll(rest, choice)] : [])]);
    // One that had already ended (answered elsewhere, timed out) needs nothing more; only a failed send is news.
    sent.catch((error: unknown) => setBatchError(`Your answers were not recorded; the requests still wait. ${describeError(error)}`));
  };

  const onDecided = (approvalId: string) => {
    requestAnimationFrame(() => {
      const next = container.current?.querySelector<HTMLElement>(`[data-approval-id]:not([data-approval-id="${CSS.escape(approvalId)}"])`);
      if (next) next.focus();
      else if (composerRef.current && !composerRef.current.disabled) composerRef.current.focus();
    });
  };

  const count = approvals.pending.length;
  const editedCount = approvals.pending.filter((r) => edited.has(r.id)).length;
  return (
    <section ref={container} className="approvals" aria-labelledby="approvals-heading" data-testid="approvals">
      <h2 id="approvals-heading" className="approvals-heading">
        {approvalsHeading(approvals.pending)}
      </h2>
      {count > 1 && (
        <div className="approvals-batch">
          <button type="button" onClick={() => decideAll('allow_once')} disabled={editedCount > 0 || offline} aria-describedby={editedCount > 0 ? 'approvals-batch-held' : undefined}>
            Allow all {count} once
          </button>
          <button type="button" className="danger" onClick={() => decideAll('deny')} disabled={offline}>
            Deny all {count}
          </button>
          {editedCount > 0 && (
            <span id="approvals-batch-held" className="muted" data-testid="approvals-batch-held">
              You edited the arguments of {editedCount === 1 ? 'one' : editedCount}: allow {editedCount === 1 ? 'it' : 'them'} on {editedCount === 1 ? 'its' : 'their'} own first.
            </span>
          )}
        </div>
      )}
      {batchError && (
        <p className="approval-error" role="alert" data-testid="approvals-batch-error">
          {batchError}
        </p>
      )}
      {approvals.pending.map((request) => {
        const other = request.conversationId !== currentConversationId;
        const title = conversations.find((c) => c.id === request.conversationId)?.title ?? 'another conversation';
        return (
          <ApprovalDialog
            key={request.id}
            request={request}
            otherConversation={other ? { title, open: () => onOpenConversation(request.conversationId) } : null}
            decide={approvals.decide}
            onDecided={onDecided}
            onEditedChange={onEditedChange}
            onNoteChange={onNoteChange}
            composerRef={composerRef}
          />
        );
      })}
    </section>
  );
}
