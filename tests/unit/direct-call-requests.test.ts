import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { directCallTurns, directCallWords } from '../../src/shared/direct-call-requests';

const message = (id: string, turnId: string, role: Message['role'], content: string, extra: Partial<Message> = {}): Message => ({ id, conversationId: 'c1', turnId, role, content, traceId: null, createdAt: 0, ...extra });
const calling = (id: string, turnId: string, name: string): Message => message(id, turnId, 'assistant', '', { toolCalls: [{ id: `direct-${turnId}`, name, arguments: {} }] });

describe("a direct call's request", () => {
  it('is told apart from the person\'s messages, with the tool it called, matched by turn when an MCP session\'s calls interleave', () => {
    const turns = directCallTurns([
      message('u1', 't1', 'user', 'tools/call fs.read {"path":"a"} from Cursor (MCP client, key "Cursor")', { author: 'Cursor (MCP)', directCall: true }),
      calling('a1', 't1', 'fs.read'),
      message('u2', 't2', 'user', 'tools/call fs.list {} from Cursor (MCP client, key "Cursor")', { author: 'Cursor (MCP)', directCall: true }),
      calling('a2', 't2', 'fs.list'),
      message('r2', 't2', 'tool', ''),
      message('n2', 't2', 'assistant', 'Called by Cursor…: no model of Portcullis took part.'),
      message('r1', 't1', 'tool', ''),
      message('n1', 't1', 'assistant', 'Called by Cursor…: no model of Portcullis took part.'),
      // The person then asks in the same conversation: their words and the model's are nobody else's.
      message('u3', 't3', 'user', 'read a'),
      calling('a3', 't3', 'fs.read'),
      message('n3', 't3', 'assistant', 'It says hi.'),
      // A message the terminal sent to start a turn of the model's names its sender, but is no direct call.
      message('u4', 't4', 'user', 'read b', { author: 'Terminal' }),
      calling('a4', 't4', 'fs.read'),
      message('n4', 't4', 'assistant', 'It says bye.'),
    ]);
    expect([...turns.requests]).toEqual([
      ['u1', { author: 'Cursor (MCP)', toolNames: ['fs.read'] }],
      ['u2', { author: 'Cursor (MCP)', toolNames: ['fs.list'] }],
    ]);
    expect([...turns.relayed]).toEqual(['a1', 'a2']);
    expect([...turns.notes]).toEqual(['n2', 'n1']);
    expect([...turns.turns]).toEqual(['t1', 't2']);
    expect(directCallWords(turns.requests.get('u1')!)).toBe('Cursor (MCP) called fs.read');
  });

  it('names who made it alone while its call is not stored yet', () => {
    const turns = directCallTurns([message('u1', 't1', 'user', 'portcullis tools call fs.write --args {}', { author: 'Terminal', directCall: true })]);
    expect(directCallWords(turns.requests.get('u1')!)).toBe('Terminal');
    expect(turns.relayed.size).toBe(0);
  });
});
