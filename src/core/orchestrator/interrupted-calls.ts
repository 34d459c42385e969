import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { newId } from '../../shared/ids';
import type { MessageStore } from '../storage/stores/message-store';
import type { EndedTurn, ToolCallStore } from '../storage/stores/tool-call-store';

/**
 * At start-up, ends the calls the previous run left open (`ToolCallStore.closeInterrupted`) and answers each
 * one a model asked for with its tool message, as a call that finished is answered: the chat then shows it as
 * failed, with why, instead of "Calling …" with no outcome, and the model reads it like any other result. A
 * call from outside a model turn (`portcullis tools call`) has no reply to answer. One transaction, so a crash
 * here leaves either every call open (closed at the next start) or every call closed and answered. With `turn`,
 * only that turn's calls: its process ended while this one runs. `runsElsewhere`: a turn another process still
 * runs (a `portcullis chat` that outlived the app it was started beside), whose calls are still under way.
 */
export function closeInterruptedCalls(toolCalls: ToolCallStore, messages: MessageStore, at: number, turn?: EndedTurn, runsElsewhere?: (turn: EndedTurn) => boolean): ToolCallRecord[] {
  return toolCalls.atomically(() => {
    const closed = turn || !runsElsewhere
      ? toolCalls.closeInterrupted(at, turn)
      : toolCalls.openTurns().filter((open) => !runsElsewhere(open)).flatMap((ended) => toolCalls.closeInterrupted(at, ended));
    for (const call of closed) {
      const request = messages.toolRequestOfTurn(call.conversationId, call.turnId);
      if (!request) continue;
      messages.append({
        id: newId(), conversationId: call.conversationId, turnId: call.turnId, role: 'tool', content: '', toolCallId: call.id,
        traceId: request.traceId, createdAt: at,
      });
    }
    return closed;
  });
}
