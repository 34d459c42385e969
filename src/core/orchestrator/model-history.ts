import type { Message } from '../../shared/domain/message';
import type { ModelMessage } from '../model/model-provider';
import { fenceUntrusted } from '../taint/untrusted-fence';

/**
 * What the model sees of a conversation: its messages, with each tool message carrying the call's outcome as
 * JSON; output of calls in `untrusted` (tool call id → source) is fenced and labeled. A result longer than
 * `maxResultChars` is cut, with a notice the model can act on; what is stored and shown stays whole.
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
          toolCallId: call?.id ?? '',
          toolName: call?.toolName ?? 'unknown',
          content: isError ? JSON.stringify(call?.error) : withFence(cut(JSON.stringify(call?.result ?? null), maxResultChars), call?.id, untrusted),
          isError,
        };
      }
    }
  });
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
