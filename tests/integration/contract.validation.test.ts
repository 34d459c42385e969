import { describe, expect, it } from 'vitest';
import { dispatchRequest } from '../../src/core/api/dispatch';
import { startTestRuntime } from '../helpers/test-runtime';

describe('contract validation at the API boundary', () => {
  it.each([
    ['unknown channel', 'fs.write', { path: 'x', content: 'y' }, 'UNKNOWN_CHANNEL'],
    ['channel that is not a string', 42, {}, 'UNKNOWN_CHANNEL'],
    ['missing field', 'chat.send', { conversationId: 'c' }, 'VALIDATION_FAILED'],
    ['empty text', 'chat.send', { conversationId: 'c', text: '   ' }, 'VALIDATION_FAILED'],
    ['wrong type', 'chat.send', { conversationId: 7, text: 'hi' }, 'VALIDATION_FAILED'],
    ['extra field', 'conversations.create', { title: 'x', admin: true }, 'VALIDATION_FAILED'],
    ['input not an object', 'conversations.list', 'everything', 'VALIDATION_FAILED'],
    ['input an array', 'messages.list', [1, 2], 'VALIDATION_FAILED'],
    ['unknown approval choice', 'approvals.decide', { approvalId: 'a', choice: 'allow_forever' }, 'VALIDATION_FAILED'],
    ['bad trace id', 'traces.spans', { traceId: "' OR 1=1 --" }, 'VALIDATION_FAILED'],
    ['oversized title', 'conversations.create', { title: 'x'.repeat(201) }, 'VALIDATION_FAILED'],
    ['prototype pollution attempt', 'conversations.create', JSON.parse('{"__proto__": {"polluted": true}}'), 'VALIDATION_FAILED'],
  ])('rejects %s with a clear error and changes nothing', async (_name, channel, input, code) => {
    const { runtime } = startTestRuntime();
    const before = await runtime.handlers['conversations.list']({});
    const result = await dispatchRequest(runtime.handlers, channel, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(10);
    expect(await runtime.handlers['conversations.list']({})).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the offending field in the message', async () => {
    const { runtime } = startTestRuntime();
    const result = await dispatchRequest(runtime.handlers, 'chat.send', { conversationId: 'c', text: 5 });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('text') } });
  });

  it('accepts valid input and returns the handler output', async () => {
    const { runtime } = startTestRuntime();
    const created = await dispatchRequest(runtime.handlers, 'conversations.create', { title: 'Plans' });
    expect(created).toMatchObject({ ok: true, output: { title: 'Plans' } });
    const listed = await dispatchRequest(runtime.handlers, 'conversations.list', {});
    expect(listed).toMatchObject({ ok: true, output: [{ title: 'Plans' }] });
  });

  it('reports a missing conversation as NOT_FOUND, not as a crash', async () => {
    const { runtime } = startTestRuntime();
    const result = await dispatchRequest(runtime.handlers, 'chat.send', { conversationId: 'does-not-exist', text: 'hi' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const again = await dispatchRequest(runtime.handlers, 'messages.list', { conversationId: 'does-not-exist' });
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
