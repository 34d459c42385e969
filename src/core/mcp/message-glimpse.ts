import type { RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * What the first and last bytes of an event too large to read say it is. A JSON-RPC message's short members
 * (`jsonrpc`, `id`, `method`) come before or after its one large member (`params`, `result`): servers of the
 * TypeScript SDK write `{"result":…,"jsonrpc":"2.0","id":7}`, those of the Python SDK `{"jsonrpc":"2.0","id":7,…}`.
 */
export interface MessageGlimpse {
  /** Its SSE event type, when not `message` (the SDK ignores such events). */
  otherEvent?: string;
  /** A request's or notification's method: the server's own message, which answers no call. */
  method?: string;
  /** Without a method: the id of the request it answers. */
  id?: RequestId;
}

/** `head`: the event's first bytes as text; `tail`: its last bytes (both may be cut mid-character). */
export function glimpseEvent(head: string, tail: string): MessageGlimpse {
  const start = eventFields(head, 'start');
  return {
    ...(start.event !== undefined && start.event !== 'message' ? { otherEvent: start.event } : {}),
    ...glimpseMessage(start.data, eventFields(tail, 'end').data),
  };
}

/** The same of a message's JSON alone (a stdio line): its first and last bytes as text. */
export function glimpseMessage(head: string, tail: string): Omit<MessageGlimpse, 'otherEvent'> {
  const members = new Map([...trailingMembers(tail), ...leadingMembers(head)]);
  const method = members.get('method');
  const id = members.get('id');
  return {
    ...(typeof method === 'string' ? { method } : {}),
    ...(typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id)) ? { id } : {}),
  };
}

/**
 * The `event` field and the data (its lines joined as SSE joins them) of a piece of an event. The end's first line
 * is most often the middle of a long data line, and is taken as data.
 */
function eventFields(text: string, part: 'start' | 'end'): { event?: string; data: string } {
  const data: string[] = [];
  let event: string | undefined;
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const field = /^(event|data|id|retry)(?::|$)/.exec(line)?.[1];
    const value = line.slice((field?.length ?? 0) + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === undefined && part === 'end' && i === 0) data.push(line);
  });
  return { ...(event !== undefined ? { event } : {}), data: data.join('\n') };
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const PRIMITIVE = String.raw`-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|${STRING}|true|false|null`;
const LEADING_MEMBER = new RegExp(String.raw`\s*(${STRING})\s*:\s*(?:(${PRIMITIVE})|[[{])\s*(,)?`, 'y');
const TRAILING_MEMBER = new RegExp(String.raw`[,{]\s*(${STRING})\s*:\s*(${PRIMITIVE})\s*$`);

/** The object's members from its start up to its first object or array value (which cannot be skipped unread). */
function leadingMembers(json: string): Array<[string, unknown]> {
  const start = /^\s*\{/.exec(json);
  if (!start) return [];
  const members: Array<[string, unknown]> = [];
  LEADING_MEMBER.lastIndex = start[0].length;
  for (let match = LEADING_MEMBER.exec(json); match; match = LEADING_MEMBER.exec(json)) {
    members.push([String(parsed(match[1]!)), match[2] === undefined ? undefined : parsed(match[2])]);
    if (match[2] === undefined || match[3] === undefined) break;
  }
  return members;
}

/** The object's members from its end back to its last object or array value. */
function trailingMembers(json: string): Array<[string, unknown]> {
  let rest = json.trimEnd();
  if (!rest.endsWith('}')) return [];
  rest = rest.slice(0, -1);
  const members: Array<[string, unknown]> = [];
  for (let match = TRAILING_MEMBER.exec(rest); match; match = TRAILING_MEMBER.exec(rest)) {
    members.push([String(parsed(match[1]!)), parsed(match[2]!)]);
    rest = rest.slice(0, match.index + 1);
    if (rest.endsWith('{')) break;
    rest = rest.slice(0, -1);
  }
  return members;
}

function parsed(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
