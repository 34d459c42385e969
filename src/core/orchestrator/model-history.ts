import type { Message } from '../../shared/domain/message';
import type { ModelMessage } from '../model/model-provider';
import { fenceUntrusted } from '../taint/untrusted-fence';
import { toolResultText } from './tool-result-text';

/**
 * What the model sees of a conversation: its messages, with each tool message carrying the call's outcome (its
 * result as `toolResultText` reads it, or its error as JSON); output of calls in `untrusted` (tool call id →
 * source) is fenced and labeled. A result longer than `maxResultChars` is cut, with a notice the model can act
 * on; what is stored and shown stays whole.
 */
export function toModelMessages(messages: readonly Message[], untrusted?: ReadonlyMap<string, string>, maxResultChars = Number.POSITIVE_INFINITY): ModelMessage[] {
  return messages.map((message): ModelMessage => {
    switch (message.role) {
      case 'user':
        return { role: 'user', content: message.content };
      case 'assistant':
        return message.toolCalls?.length
          ? { role: 'assistant', content: message.content, toolCalls: message.toolCalls }
          : { role: 'assistant', content: message.content };
      case 'tool': {
        const call = message.toolCall;
        const isError = call?.error != null;
        return {
          role: 'tool',
          toolCallId: call?.modelCallId ?? call?.id ?? '',
          toolName: call?.toolName ?? 'unknown',
          content: isError ? JSON.stringify(call?.error) : withFence(cut(toolResultText(call?.result), maxResultChars), call?.id, untrusted),
          isError,
        };
      }
    }
  });
}

/** What the model is told of a call whose result was never stored: the process ended while it ran. */
export const INTERRUPTED_CALL_RESULT = JSON.stringify({
  code: 'TOOL_INTERRUPTED',
  message: 'This call did not finish: Portcullis stopped while it ran, so its result is unknown. Call the tool again if it is still needed.',
});

/**
 * Every tool call in `messages` answered by a result under the call's own id, as hosted APIs demand (OpenAI and
 * Anthropic refuse a request otherwise, and would refuse every later turn of the conversation). A result stored
 * before calls kept the model's id takes the next unanswered call's id, in the order the model asked (the order
 * results are stored); a call left without a result (the process ended while it ran) gets one that says so; a
 * result with no call before it is left out.
 */
export function answerEveryToolCall(messages: readonly ModelMessage[]): ModelMessage[] {
  const answered: ModelMessage[] = [];
  let open: { id: string; name: string }[] = [];
  const closeOpen = (): void => {
    for (const call of open) answered.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content: INTERRUPTED_CALL_RESULT, isError: true });
    open = [];
  };
  for (const message of messages) {
    if (message.role !== 'tool') {
      closeOpen();
      answered.push(message);
      if (message.role === 'assistant') open = (message.toolCalls ?? []).map(({ id, name }) => ({ id, name }));
      continue;
    }
    const index = open.findIndex((call) => call.id === message.toolCallId);
    const call = index >= 0 ? open.splice(index, 1)[0] : open.shift();
    if (call) answered.push(call.id === message.toolCallId ? message : { ...message, toolCallId: call.id, toolName: call.name });
  }
  closeOpen();
  return answered;
}

function withFence(content: string, callId: string | undefined, untrusted: ReadonlyMap<string, string> | undefined): string {
  const source = callId ? untrusted?.get(callId) : undefined;
  return source === undefined || callId === undefined ? content : fenceUntrusted(content, source, callId);
}

/** Cut before fencing, so an untrusted result's fence stays whole around what is left. */
function cut(content: string, maxChars: number): string {
  if (content.length <= maxChars) return content;
  return `${content.slice(0, maxChars)}… [cut here: the result is ${content.length.toLocaleString('en-US')} characters and only the first ${maxChars.toLocaleString('en-US')} fit the model's context; ask the tool for a smaller part if more is needed]`;
}
