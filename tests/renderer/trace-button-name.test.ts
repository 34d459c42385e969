import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { directCallTraceName, requestsByReply, traceButtonName } from '../../src/renderer/features/chat/trace-button-name';
import { formatTimeToSecond } from '../../src/renderer/lib/format';

const at = Date.parse('2026-11-25T08:16:04Z');
const message = (id: string, role: Message['role'], content: string, createdAt: number, extra: Partial<Message> = {}): Message => ({
  id, conversationId: 'c', turnId: `turn-${id}`, role, content, traceId: 't', createdAt, ...extra,
});

describe('a reply\'s Trace button is named so that no two turns read alike', () => {
  it('says the time to the second and the request, and which tools a step called', () => {
    const time = formatTimeToSecond(at);
    expect(time).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(traceButtonName({ createdAt: at }, 'list the files')).toBe(`Trace of the turn at ${time}, “list the files”`);
    expect(traceButtonName({ createdAt: at, toolCalls: [{ id: '1', name: 'fs.write', arguments: {} }, { id: '2', name: 'fs.write', arguments: {} }] }, 'write a.txt\n  with 1')).toBe(
      `Trace of the turn at ${time}, “write a.txt with 1”, calling fs.write`,
    );
    expect(traceButtonName(undefined, 'x'.repeat(100))).toBe(`Trace of this turn, “${'x'.repeat(59)}…”`);
    expect(traceButtonName({ createdAt: at }, undefined)).toBe(`Trace of the turn at ${time}`);
  });

  it('two turns asked within the same minute get different names', () => {
    const messages = [
      message('u1', 'user', 'list the files', at),
      message('a1', 'assistant', 'Here they are', at + 300),
      message('u2', 'user', 'read notes/todo.md', at + 20_000),
      message('a2', 'assistant', 'It says…', at + 20_400),
    ];
    const requests = requestsByReply(messages);
    const names = messages.filter((m) => m.role === 'assistant').map((m) => traceButtonName(m, requests.get(m.id)));
    expect(new Set(names).size).toBe(2);
    expect(names[1]).toContain('“read notes/todo.md”');
  });

  it('a retry\'s reply, in a turn of its own, answers the person\'s message before it', () => {
    const requests = requestsByReply([message('u1', 'user', 'list the files', at), message('a1', 'assistant', 'Retried', at + 60_000, { turnId: 'retry' })]);
    expect(requests.get('a1')).toBe('list the files');
  });
});

describe("a direct call's Trace button, on its request's line", () => {
  it('says the call, when to the second and what it asked for, so a script\'s calls of a minute read apart', () => {
    const time = formatTimeToSecond(at);
    const request = 'tools.call fs.read {"path":"a.txt"} (local API, key "nightly backup")';
    expect(directCallTraceName({ createdAt: at, content: request })).toBe(`Trace of the call at ${time}, “${request.slice(0, 59)}…”`);
    expect(directCallTraceName({ createdAt: at + 2_000, content: request })).not.toBe(directCallTraceName({ createdAt: at, content: request }));
  });
});
