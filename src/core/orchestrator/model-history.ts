import type { Message } from '../../shared/domain/message';
import type { ModelMessage } from '../model/model-provider';

/** What the model sees of a conversation: its messages, with each tool message carrying the call's outcome as JSON. */
export function toModelMessages(messages: readonly Message[]): ModelMessage[] {
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
          content: isError ? JSON.stringify(call?.error) : JSON.stringify(call?.result ?? null),
          isError,
        };
      }
    }
  });
}
