import type { RefObject } from 'react';
import type { Conversation } from '../../../shared/domain/conversation';
import { ElicitationDialog } from './ElicitationDialog';
import type { Elicitations } from './useElicitations';

export interface ElicitationQueueProps {
  elicitations: Elicitations;
  /** An approval waits: it goes first, and the question waits out of sight (what was typed kept). */
  approvalWaiting: boolean;
  currentConversationId: string | null;
  conversations: readonly Conversation[];
  onOpenConversation: (conversationId: string) => void;
  composerRef: RefObject<HTMLTextAreaElement | null>;
}

/** The servers' questions, one at a time, oldest first: a form is answered on its own, not in a batch. */
export function ElicitationQueue({ elicitations, approvalWaiting, currentConversationId, conversations, onOpenConversation, composerRef }: ElicitationQueueProps) {
  const request = elicitations.pending[0];
  if (!request) return null;
  const conversationId = request.call?.conversationId;
  const other = conversationId !== undefined && conversationId !== currentConversationId;
  const title = conversations.find((c) => c.id === conversationId)?.title || 'another conversation';
  return (
    <ElicitationDialog
      key={request.id}
      request={request}
      hidden={approvalWaiting}
      otherConversation={other ? { title, open: () => onOpenConversation(conversationId) } : null}
      waitingAfter={elicitations.pending.length - 1}
      answer={elicitations.answer}
      composerRef={composerRef}
    />
  );
}
