import { useState } from 'react';
import type { Conversation } from '../../../shared/domain/conversation';
import { conversationMarkdown } from '../../../shared/conversation-markdown';
import { useApi } from '../../lib/api/ApiProvider';
import { downloadText, fileNameOf } from '../../lib/download';
import { describeError } from '../../lib/errors';

/** The header's Export: the whole conversation, every message and tool call, as a Markdown file. */
export function ExportConversation({ conversation }: { conversation: Conversation }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const exportNow = async () => {
    setError(null);
    try {
      const messages = await api.invoke('messages.list', { conversationId: conversation.id });
      downloadText(`${fileNameOf(conversation.title, 'conversation')}.md`, conversationMarkdown(conversation, messages, new Date()), 'text/markdown');
    } catch (failure) {
      setError(`Could not export the conversation. ${describeError(failure)}`);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void exportNow()} title="Save this conversation, with its tool calls, as a Markdown file">
        Export
      </button>
      {error && (
        <span className="composer-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
