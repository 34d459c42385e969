import type { Message } from '../../../shared/domain/message';

export interface BusyComposerWords {
  placeholder: string;
  hint: string;
}

/**
 * Who made the running turn's request when the person did not: a script or an MCP client (its direct call), whose
 * request message carries its `author`. Undefined for a turn of the person's, or one whose request is not loaded.
 */
export function directCallAuthor(messages: readonly Message[], turnId: string | null | undefined): string | undefined {
  if (!turnId) return undefined;
  return messages.find((message) => message.role === 'user' && message.turnId === turnId && message.author)?.author;
}

/**
 * What the message box says while a turn runs. A script's or an MCP client's call is no work of the agent's: it
 * says whose call it is, and that Esc cancels it.
 */
export function busyComposerWords(author: string | undefined): BusyComposerWords {
  if (author === undefined) {
    return {
      placeholder: 'Write your next message while the agent works; it is sent with Enter once this turn ends',
      hint: 'The agent is working: Enter sends once this turn ends · Esc stops it',
    };
  }
  return {
    placeholder: `Write your next message; it is sent with Enter once the call ${author} made ends`,
    hint: `A call ${author} made is under way here: Enter sends once it ends · Esc cancels it`,
  };
}
