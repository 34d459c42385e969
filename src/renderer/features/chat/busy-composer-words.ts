import type { Message } from '../../../shared/domain/message';

export interface BusyComposerWords {
  placeholder: string;
  hint: string;
}

/**
 * Who made the running turn's request when the person did not: a script or an MCP client (its direct call), whose
 * request message is marked `directCall` and carries its `author`. Undefined for a turn of the person's, or one whose request is not loaded.
 */
export function directCallAuthor(messages: readonly Message[], turnId: string | null | undefined): string | undefined {
  if (!turnId) return undefined;
  return messages.find((message) => message.role === 'user' && message.turnId === turnId && message.directCall)?.author;
}

/** "the agent" for a turn of the person's, "a call Cursor (MCP) made" for a direct call. */
function whatRuns(author: string | undefined): string {
  return author === undefined ? 'the agent' : `a call ${author} made`;
}

/**
 * What the message box says while a turn runs. A script's or an MCP client's call is no work of the agent's: it
 * says whose call it is, and that Esc cancels it. `alongside`: the authors of the other turns running in the
 * conversation at once (undefined for the agent's), which the message waits for too and Esc stops too.
 */
export function busyComposerWords(author: string | undefined, alongside: readonly (string | undefined)[] = []): BusyComposerWords {
  if (alongside.length > 0) {
    const runs = [author, ...alongside].map(whatRuns);
    const listed = `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}`;
    const them = runs.length === 2 ? 'both' : 'them all';
    return {
      placeholder: 'Write your next message; it is sent with Enter once all that runs here ends',
      hint: `${listed.charAt(0).toUpperCase()}${listed.slice(1)} are under way here: Enter sends once ${runs.length === 2 ? 'both end' : 'all end'} · Esc stops ${them}`,
    };
  }
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
