import type { Message } from './domain/message';

/** A request the person did not type (a script's, an MCP client's, the terminal's): who made it and what it called. */
export interface DirectCallRequest {
  /** Who made it, as its message says ("Cursor (MCP)", "Local API (key "backup")", "Terminal"). */
  author: string;
  /** The tools it called, in order (one for a direct call; none while its call is not yet stored). */
  toolNames: string[];
}

export interface DirectCallTurns {
  /** By the request message's id. */
  requests: Map<string, DirectCallRequest>;
  /**
   * The assistant messages that only carry a request's call ("Calling fs.read"): no model of Portcullis asked for
   * it, so they are said by the request ("Cursor (MCP) called fs.read"), not drawn as Portcullis' words.
   */
  relayed: Set<string>;
  /** What Portcullis says in the place of a model's answer ("no model took part; the card above shows the outcome"). */
  notes: Set<string>;
  /** The turns that are direct calls, by id: their messages (the request, its card, the note) read as one call. */
  turns: Set<string>;
}

/**
 * The direct calls in a conversation (`portcullis tools call`, the local API's tools.call, an MCP client through
 * /mcp): each is a turn of its own whose request is marked `directCall` and names its `author` (a message with an author
 * alone started a turn of the model's: it is drawn as one). An MCP session's calls share a conversation
 * and may interleave, so a request and its call are matched by their turn, not by their order.
 */
export function directCallTurns(messages: readonly Message[]): DirectCallTurns {
  const requests = new Map<string, DirectCallRequest>();
  const byTurn = new Map<string, DirectCallRequest>();
  const relayed = new Set<string>();
  const notes = new Set<string>();
  const turns = new Set<string>();
  for (const message of messages) {
    if (message.role === 'user' && message.directCall && message.author) {
      const request = { author: message.author, toolNames: [] };
      requests.set(message.id, request);
      byTurn.set(message.turnId, request);
      turns.add(message.turnId);
    } else if (message.role === 'assistant') {
      const request = byTurn.get(message.turnId);
      if (!request) continue;
      if (message.toolCalls?.length && !message.content.trim()) {
        request.toolNames.push(...message.toolCalls.map((call) => call.name));
        relayed.add(message.id);
      } else {
        notes.add(message.id);
      }
    }
  }
  return { requests, relayed, notes, turns };
}

/** "Cursor (MCP) called fs.read": the line that stands for a direct call's request. */
export function directCallWords(request: DirectCallRequest): string {
  return request.toolNames.length > 0 ? `${request.author} called ${request.toolNames.join(', ')}` : request.author;
}
