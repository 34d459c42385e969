import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { directCallTurns } from '../../src/shared/direct-call-requests';
import { repeatedDirectCallNotes } from '../../src/shared/direct-call-notes';

const message = (id: string, turnId: string, role: Message['role'], content: string, extra: Partial<Message> = {}): Message => ({ id, conversationId: 'c1', turnId, role, content, traceId: `trace-${turnId}`, createdAt: 0, ...extra });
const NOTE = 'Called through the local API (tools.call) by key "nightly backup": no model took part; the card above shows the outcome.';
/** One direct call as it is stored: the request, its "Calling" step, the card, the note. */
const call = (turn: string, note = NOTE, author = 'Local API (key "nightly backup")'): Message[] => [
  message(`u-${turn}`, turn, 'user', `tools.call fs.read {"path":"a.txt"} (local API, key "nightly backup")`, { author, directCall: true }),
  message(`a-${turn}`, turn, 'assistant', '', { toolCalls: [{ id: `direct-${turn}`, name: 'fs.read', arguments: { path: 'a.txt' } }] }),
  message(`r-${turn}`, turn, 'tool', ''),
  message(`n-${turn}`, turn, 'assistant', note),
];
const repeated = (messages: Message[]) => [...repeatedDirectCallNotes(messages, directCallTurns(messages))];

describe('a caller\'s day of direct calls says "no model took part" once', () => {
  it('under the first of 30 calls only', () => {
    const messages = Array.from({ length: 30 }, (_, i) => call(`t${i}`)).flat();
    expect(repeated(messages)).toEqual(Array.from({ length: 29 }, (_, i) => `n-t${i + 1}`));
  });

  it('under the first call drawn, when the earlier ones are not', () => {
    const messages = [call('t1'), call('t2'), call('t3')].flat();
    expect(repeated(messages.slice(4))).toEqual(['n-t3']);
  });

  it('again after the person\'s own turn in the conversation, and when another caller says something else', () => {
    const messages = [
      ...call('t1'),
      ...call('t2'),
      message('u-p', 'p', 'user', 'what did the backup read?'),
      message('n-p', 'p', 'assistant', 'It read a.txt twice.'),
      ...call('t3'),
      ...call('t4', 'Called by Cursor (MCP client, key "cursor") through Portcullis\' MCP endpoint: no model of Portcullis took part; the card above shows the outcome.', 'Cursor (MCP)'),
      ...call('t5'),
    ];
    expect(repeated(messages)).toEqual(['n-t2']);
  });

  it('a model\'s answers are never left out', () => {
    const messages = [message('u1', 'p1', 'user', 'hi'), message('n1', 'p1', 'assistant', 'Hello.'), message('u2', 'p2', 'user', 'hi'), message('n2', 'p2', 'assistant', 'Hello.')];
    expect(repeated(messages)).toEqual([]);
  });
});
