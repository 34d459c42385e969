import { ConversationStore } from '../../core/storage/stores/conversation-store';
import { MessageStore } from '../../core/storage/stores/message-store';
import { conversationMarkdown } from '../../shared/conversation-markdown';
import { utcMinute } from '../../shared/utc-minute';
import { CliUsageError, type CommandContext } from '../command';
import { readStoredData } from '../stored-data';

export const conversationsHelp = `portcullis conversations list [--json] [--data-dir D]
  Lists the conversations, the most recently changed first: id, last change (UTC), title.
portcullis conversations export ID [--json] [--data-dir D]
  Prints one conversation, every message and tool call, as Markdown (--json: the conversation and its messages).`;

export async function conversationsCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const [sub, ...rest] = positionals;
  if (!(sub === 'list' && rest.length === 0) && !(sub === 'export' && rest.length === 1)) {
    throw new CliUsageError('Say "conversations list" or "conversations export ID" (the ids are in the list).');
  }
  // Read from the database alone: a runtime would create the workspace and more beside it, for a command that reads.
  return readStoredData(values['data-dir'], (db) => {
    const conversations = db ? new ConversationStore(db).list() : [];
    if (sub === 'list') {
      if (values.json) out(JSON.stringify({ conversations }));
      else if (conversations.length === 0) out('No conversations yet.');
      else for (const c of conversations) out(`${c.id}  ${utcMinute(c.updatedAt)}  ${c.title}`);
      return 0;
    }
    const conversation = conversations.find((c) => c.id === rest[0]);
    if (!conversation || !db) throw new CliUsageError(`There is no conversation ${rest[0]}: "portcullis conversations list" shows their ids.`);
    const messages = new MessageStore(db).list(conversation.id);
    out(values.json ? JSON.stringify({ conversation, messages }) : conversationMarkdown(conversation, messages, new Date()).trimEnd());
    return 0;
  });
}
