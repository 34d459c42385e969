import { newId } from '../../shared/ids';
import type { MessageStore } from '../storage/stores/message-store';
import type { ReplyDraftStore } from '../storage/stores/reply-draft-store';
import type { EndedTurn } from '../storage/stores/tool-call-store';

/**
 * The replies a process was streaming when it ended (kill -9, a crash): each one's draft becomes the reply as far
 * as the person read it, marked cut short as Stop marks it (not an answer, so Retry stays offered), after the
 * turn's other messages. Each in one transaction with its draft's deletion, so a crash here keeps it once.
 * With `turn`, only that turn's: its process ended while this one runs. `runsElsewhere`: a turn another process
 * still runs (a `portcullis chat` that outlived the app it was started beside), whose reply is still streaming and
 * would otherwise be kept twice. Returns how many it kept.
 */
export function keepInterruptedReplies(drafts: ReplyDraftStore, messages: MessageStore, turn?: EndedTurn, runsElsewhere?: (turn: EndedTurn) => boolean): number {
  const left = drafts.left(turn).filter((draft) => !runsElsewhere?.(draft));
  for (const draft of left) {
    drafts.settle(draft.conversationId, () => messages.append({
      id: newId(), conversationId: draft.conversationId, turnId: draft.turnId, role: 'assistant', content: draft.content, cutShort: true,
      traceId: draft.traceId, createdAt: draft.updatedAt, ...(draft.reasoning ? { reasoning: draft.reasoning } : {}),
    }));
  }
  return left.length;
}
