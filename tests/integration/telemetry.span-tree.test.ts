import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { currentTraceparent } from '../../src/core/telemetry/traceparent';
import { Tracer } from '../../src/core/telemetry/tracer';
import type { SpanRecord } from '../../src/shared/domain/span';
import { failureCause } from '../../src/shared/span-failure';
import { StepScriptedModel as ScriptedModel } from '../helpers/step-scripted-model';
import { nextEvent, startTestRuntime } from '../helpers/test-runtime';

describe('the span tree of a governed turn', () => {
  it('is live while the turn runs: the steps under way are there, marked, ending now; none is stored or exported', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'fs.write', arguments: { path: 'a.txt', content: 'hello' } }] }, { text: 'Done.' }]);
    const t = startTestRuntime({ model });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const requested = nextEvent(t, 'approval.requested');
    const turn = t.runtime.startTurn(conversation.id, 'write a.txt');
    const approval = await requested;
    const live = await t.runtime.handlers['traces.spans']({ traceId: turn.traceId });
    const running = live.filter((span) => span.inProgress).map((span) => span.name);
    expect(running).toEqual(['invoke_agent portcullis', 'execute_tool fs.write', 'approval fs.write']);
    expect(live.filter((span) => !span.inProgress).map((span) => span.name)).toEqual(expect.arrayContaining(['route', 'policy fs.write']));
    expect(live.every((span) => span.endTime >= span.startTime)).toBe(true);
    const exported = await t.runtime.handlers['traces.export']({ traceId: turn.traceId });
    expect(JSON.stringify(exported)).not.toContain('approval fs.write');

    await t.runtime.handlers['approvals.decide']({ approvalId: approval.id, choice: 'allow_once' });
    await turn.done;
    const done = await t.runtime.handlers['traces.spans']({ traceId: turn.traceId });
    expect(done.some((span) => span.inProgress)).toBe(false);
    expect(done.map((span) => span.name)).toEqual(expect.arrayContaining(running));
  });

  it('a failed call\'s sandbox step says its error code, as its tool step does (a stop is then not read as an error)', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'fs.read', arguments: { path: 'missing.txt' } }] }, { text: 'It is not there.' }]);
    const t = startTestRuntime({ model, approvalGate: new FixedApprovalGate('all') });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'read missing.txt').done;
    const spans = await t.runtime.handlers['traces.spans']({ traceId: result.traceId });
    const tool = spans.find((span) => span.kind === 'tool')!;
    const sandbox = spans.find((span) => span.kind === 'sandbox')!;
    expect(tool.statusMessage).toMatch(/^TOOL_FAILED: /);
    expect(sandbox).toMatchObject({ status: 'error', statusMessage: expect.stringMatching(/^TOOL_FAILED: /) });
    expect(failureCause(sandbox.statusMessage, sandbox.events)).toBe('other');
  });

  it('a tool call with an approval: turn → route, model, execute_tool → policy, approval, sandbox; GenAI names and attributes', async () => {
    const model = new ScriptedModel([
      { text: 'Writing it.', toolCalls: [{ name: 'fs.write', arguments: { path: 'a.txt', content: 'hello' } }] },
      { text: 'Wrote a.txt.' },
    ]);
    const t = startTestRuntime({ model, approvalGate: new FixedApprovalGate('all') });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'write a.txt').done;
    expect(result.error).toBeNull();
    const spans = await t.runtime.handlers['traces.spans']({ traceId: result.traceId });

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const shape = (span: SpanRecord): unknown => ({
      name: span.name,
      kind: span.kind,
      children: spans.filter((c) => c.parentSpanId === span.spanId).sort((a, b) => a.startTime - b.startTime).map(shape),
    });
    const roots = spans.filter((s) => s.parentSpanId === null || !byId.has(s.parentSpanId));
    expect(roots).toHaveLength(1);
    expect(shape(roots[0]!)).toEqual({
      name: 'invoke_agent portcullis',
      kind: 'turn',
      children: [
        { name: 'route', kind: 'route', children: [] },
        { name: 'chat scripted', kind: 'model', children: [] },
        {
          name: 'execute_tool fs.write',
          kind: 'tool',
          children: [
            { name: 'policy fs.write', kind: 'policy', children: [] },
            { name: 'approval fs.write', kind: 'approval', children: [] },
            { name: 'sandbox fs.write', kind: 'sandbox', children: [] },
          ],
        },
        { name: 'chat scripted', kind: 'model', children: [] },
      ],
    });

    const named = (name: string) => spans.find((s) => s.name === name)!;
    expect(roots[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.conversation.id': conversation.id,
      'gen_ai.request.model': 'scripted',
      'portcullis.turn.steps': 2,
    });
    expect(named('route').attributes).toMatchObject({ 'portcullis.route.intent': expect.any(String), 'portcullis.route.confidence': expect.any(Number) });
    expect(named('route').attributes['portcullis.route.intent']).toBe(roots[0]!.attributes['portcullis.route.intent']);
    expect(named('chat scripted').attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'scripted' });
    const tool = named('execute_tool fs.write');
    expect(tool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'fs.write',
      'gen_ai.tool.call.id': 'call_0_0',
      'portcullis.tool_call.status': 'succeeded',
      // Metadata capture (the default): argument names, size and types, but not the values.
      'gen_ai.tool.call.arguments.names': 'path,content',
      'gen_ai.tool.call.arguments.types': 'path:string,content:string',
    });
    expect(tool.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(named('policy fs.write').attributes).toMatchObject({ 'portcullis.policy.effect': 'ask', 'portcullis.policy.rule_id': 'default.mutating' });
    const approval = named('approval fs.write');
    expect(approval.attributes).toMatchObject({ 'portcullis.approval.outcome': 'approved', 'portcullis.approval.decided_by': 'script: --approve all' });
    expect(approval.events?.map((e) => e.name)).toEqual(['approval.requested', 'approval.decided']);
    expect(spans.every((s) => s.traceId === result.traceId && s.status === 'ok' && s.endTime >= s.startTime)).toBe(true);

    // Every message of the turn links to this trace, and the traces list finds it by conversation and tool.
    const messages = await t.runtime.handlers['messages.list']({ conversationId: conversation.id });
    expect(messages.every((m) => m.traceId === result.traceId)).toBe(true);
    const listed = await t.runtime.handlers['traces.list']({ conversationId: conversation.id, toolName: 'fs.write' });
    expect(listed).toEqual([expect.objectContaining({ traceId: result.traceId, spanCount: 8, errorCount: 0, toolNames: ['fs.write'], status: 'ok' })]);
    expect(await t.runtime.handlers['traces.list']({ toolName: 'fs.read' })).toEqual([]);
    // Part of a name finds it too, in any case; a name only the tool's sandbox span carries does not.
    expect((await t.runtime.handlers['traces.list']({ toolName: 'WRITE' })).map((trace) => trace.traceId)).toEqual([result.traceId]);
    expect(await t.runtime.handlers['traces.list']({ errorsOnly: true })).toEqual([]);
  });

  it('a memory write is a memory span inside the call’s sandbox span', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'memory.save', arguments: { content: 'The build runs on Node 24.' } }] }, { text: 'Saved.' }]);
    const t = startTestRuntime({ model, approvalGate: new FixedApprovalGate('all') });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'remember that the build runs on Node 24').done;
    expect(result.toolCalls.map((c) => c.status)).toEqual(['succeeded']);
    const spans = await t.runtime.handlers['traces.spans']({ traceId: result.traceId });
    const sandbox = spans.find((s) => s.name === 'sandbox memory.save')!;
    const memory = spans.find((s) => s.kind === 'memory')!;
    expect(memory).toMatchObject({ name: 'memory save', parentSpanId: sandbox.spanId, status: 'ok', attributes: { 'portcullis.memory.operation': 'save' } });
  });

  it('a failed tool marks its span red and the traces list finds the trace among errors', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'fs.read', arguments: { path: 'nope.txt' } }] }, { text: 'It is not there.' }]);
    const t = startTestRuntime({ model });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'read nope.txt').done;
    const spans = await t.runtime.handlers['traces.spans']({ traceId: result.traceId });
    expect(spans.find((s) => s.name === 'execute_tool fs.read')).toMatchObject({ status: 'error' });
    const errors = await t.runtime.handlers['traces.list']({ errorsOnly: true });
    expect(errors.map((e) => e.traceId)).toEqual([result.traceId]);
    expect(errors[0]!.errorCount).toBeGreaterThan(0);
  });

  it('currentTraceparent gives the running span as a W3C traceparent, and nothing outside a span', async () => {
    const tracer = new Tracer({ export: () => {} });
    expect(currentTraceparent()).toBeNull();
    const seen = await tracer.withTrace('turn', 'root', {}, (root) =>
      tracer.withSpan('tool', 'child', {}, async (child) => ({ root, child, header: currentTraceparent() })),
    );
    expect(seen.header).toBe(`00-${seen.root.traceId}-${seen.child.spanId}-01`);
  });
});
