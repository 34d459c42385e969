import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAnswer } from '../../src/shared/domain/message';
import { describeDecision } from '../../src/shared/tool-call-words';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { nextEvent, startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import type { ModelProvider } from '../../src/core/model/model-provider';

async function send(t: TestRuntime, text: string) {
  const conversation = await t.runtime.handlers['conversations.create']({});
  const turn = t.runtime.startTurn(conversation.id, text);
  return { conversationId: conversation.id, turn };
}

describe('a governed turn, end to end in the runtime', () => {
  it('lists the workspace with a read-only call that runs without asking', async () => {
    const t = startTestRuntime();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const { conversationId, turn } = await send(t, 'list the files');
    const result = await turn.done;
    expect(result.error).toBeNull();
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({
      toolName: 'fs.list',
      status: 'succeeded',
      decision: { effect: 'allow', ruleId: 'default.read-only' },
      approval: null,
    });
    expect(result.reply).toContain('a.txt');
    const messages = await t.runtime.handlers['messages.list']({ conversationId });
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(messages[2]!.toolCall).toMatchObject({ toolName: 'fs.list', status: 'succeeded' });
    expect(t.events.some((e) => e.channel === 'chat.delta')).toBe(true);
  });

  it('waits for approval before a write; approving writes the file', async () => {
    const t = startTestRuntime();
    const requested = nextEvent(t, 'approval.requested');
    const { turn } = await send(t, 'write hello.txt with hi');
    const request = await requested;
    expect(request).toMatchObject({ toolName: 'fs.write', summary: 'Write 2 characters to hello.txt', sandboxed: true, decision: { effect: 'ask' } });
    expect(existsSync(join(t.workspace, 'hello.txt'))).toBe(false);
    expect(await t.runtime.handlers['approvals.pending']({})).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the person reads before answering
    await expect(t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'allow_once' })).resolves.toEqual({ outcome: 'approved' });
    const result = await turn.done;
    expect(result.toolCalls[0]).toMatchObject({ status: 'succeeded', approval: 'approved' });
    expect(readFileSync(join(t.workspace, 'hello.txt'), 'utf8')).toBe('hi');
    // The chat's record of the call tells the wait for the person apart from the call's own time.
    const call = (await t.runtime.handlers['messages.list']({ conversationId: request.conversationId })).find((m) => m.toolCall)!.toolCall!;
    expect(call.approvalWaitMs).toBeGreaterThanOrEqual(290);
    expect(call.endedAt! - call.startedAt).toBeGreaterThanOrEqual(call.approvalWaitMs!);
    // Approvals are single-use.
    await expect(t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'allow_once' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('denying a write leaves no file and tells the model it was denied', async () => {
    const t = startTestRuntime();
    const requested = nextEvent(t, 'approval.requested');
    const { turn } = await send(t, 'write hello.txt with hi');
    const request = await requested;
    await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'deny', note: 'not now' });
    const result = await turn.done;
    expect(result.toolCalls[0]).toMatchObject({ status: 'denied', approval: 'denied', error: { code: 'APPROVAL_REJECTED' } });
    expect(result.toolCalls[0]!.error!.message).toContain('not now');
    expect(result.reply).toMatch(/denied/);
    expect(existsSync(join(t.workspace, 'hello.txt'))).toBe(false);
  });

  it('no answer in time means deny', async () => {
    const t = startTestRuntime({ approvalTimeoutMs: 200 });
    const { turn } = await send(t, 'write late.txt with x');
    const result = await turn.done;
    expect(result.toolCalls[0]).toMatchObject({ status: 'denied', approval: 'timed_out', error: { code: 'APPROVAL_TIMEOUT' } });
    expect(existsSync(join(t.workspace, 'late.txt'))).toBe(false);
  });

  it('records the turn as a span tree with GenAI attributes', async () => {
    const t = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const { turn } = await send(t, 'write hello.txt with hi');
    const result = await turn.done;
    const spans = await t.runtime.handlers['traces.spans']({ traceId: result.traceId });
    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get('invoke_agent portcullis')!;
    const tool = byName.get('execute_tool fs.write')!;
    expect(root.parentSpanId).toBeNull();
    expect(tool.parentSpanId).toBe(root.spanId);
    expect(tool.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'fs.write' });
    for (const child of ['policy fs.write', 'approval fs.write', 'sandbox fs.write']) {
      expect(byName.get(child)?.parentSpanId, child).toBe(tool.spanId);
    }
    expect(byName.get('policy fs.write')!.attributes['portcullis.policy.rule_id']).toBe('default.mutating');
    expect(spans.filter((s) => s.kind === 'model')).toHaveLength(2);
    expect(spans.every((s) => s.traceId === result.traceId && s.endTime >= s.startTime)).toBe(true);
  });

  it('an escape attempt comes back as a clear tool error and the runtime keeps serving', async () => {
    // With no policy rules at all, the sandbox alone still stops it (the shipped policy denies it earlier).
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'policy.yaml'), 'version: 1\nrules: []\n');
    const t = startTestRuntime({ dataDir });
    const first = await (await send(t, 'read ../../etc/passwd')).turn.done;
    expect(first.toolCalls[0]).toMatchObject({ status: 'failed', error: { code: 'PATH_OUTSIDE_WORKSPACE' } });
    const second = await (await send(t, 'list files')).turn.done;
    expect(second.toolCalls[0]!.status).toBe('succeeded');
  });

  it('refuses a second message while a turn is running, and Stop ends the turn', async () => {
    const t = startTestRuntime();
    const requested = nextEvent(t, 'approval.requested');
    const { conversationId, turn } = await send(t, 'write x.txt with y');
    expect(() => t.runtime.startTurn(conversationId, 'list files')).toThrow(/still working/);
    await requested;
    await expect(t.runtime.handlers['chat.stop']({ conversationId })).resolves.toEqual({ stopped: true });
    const result = await turn.done;
    // Not run, and said so as it happened: no one denied it, and no note is put in the person's mouth.
    expect(result.toolCalls[0]).toMatchObject({
      status: 'denied',
      approval: 'denied',
      error: { code: 'TURN_STOPPED', message: 'fs.write did not run: the turn was stopped while it waited for your approval.' },
    });
    expect(describeDecision(result.toolCalls[0]!)).toBe('not answered: you pressed Stop');
    expect(result.error).toMatchObject({ code: 'TURN_STOPPED' });
    expect(existsSync(join(t.workspace, 'x.txt'))).toBe(false);
    // The conversation takes new messages once the turn has ended.
    expect((await t.runtime.startTurn(conversationId, 'list files').done).error).toBeNull();
  });

  it('Stop while the model is answering keeps what it had said, for the person and for the model next time', async () => {
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let said!: () => void;
    const spoken = new Promise<void>((resolve) => (said = resolve));
    const model: ModelProvider = {
      id: 'slow', description: 'A model that says a little, then waits',
      async *stream(request) {
        if (request.messages.some((m) => m.role === 'assistant')) {
          yield { type: 'text-delta', text: 'Again.' };
        } else {
          yield { type: 'text-delta', text: 'The first half of ' };
          yield { type: 'text-delta', text: 'an answer' };
          said(); // the turn has taken both pieces
          await stalled;
        }
        yield { type: 'finish', reason: 'stop' };
      },
    };
    const t = startTestRuntime({ model });
    const { id: conversationId } = await t.runtime.handlers['conversations.create']({});
    const turn = t.runtime.startTurn(conversationId, 'tell me');
    await spoken;
    await t.runtime.handlers['chat.stop']({ conversationId });
    release();
    const result = await turn.done;
    expect(result.error).toMatchObject({ code: 'TURN_STOPPED' });
    expect(result.reply).toBe('The first half of an answer');
    const messages = await t.runtime.handlers['messages.list']({ conversationId });
    expect(messages.map((m) => [m.role, m.content])).toEqual([['user', 'tell me'], ['assistant', 'The first half of an answer']]);
    // Marked as cut short, not an answer, also as read back from the file: the turn can still be retried.
    expect(messages[1]).toMatchObject({ cutShort: true });
    expect(isAnswer(messages[1]!)).toBe(false);
    await t.runtime.startTurn(conversationId, 'go on').done;
    expect((await t.runtime.handlers['messages.list']({ conversationId })).map((m) => m.content)).toEqual(['tell me', 'The first half of an answer', 'go on', 'Again.']);
  });

  it('replies plainly when the built-in model does not understand', async () => {
    const t = startTestRuntime();
    const result = await (await send(t, 'what is the meaning of life?')).turn.done;
    expect(result.toolCalls).toHaveLength(0);
    expect(result.reply).toMatch(/built-in offline model/);
  });
});
