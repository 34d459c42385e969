import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { ElicitationRequest } from '../../src/shared/domain/elicitation';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { resultText } from '../helpers/result-text';
import { nextEvent, startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const CANARY = 'canary-elicited-5e0b';
const TOOL = 'everything.trigger-elicitation-request';

/** server-everything over real stdio, in the OS sandbox, with a short idle timeout: a question must hold it. */
async function start(options: { scripted?: boolean } = {}): Promise<TestRuntime> {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), timeoutMs: 1_000 } });
  const t = startTestRuntime({ dataDir, ...(options.scripted ? { approvalGate: new FixedApprovalGate('all') } : {}) });
  await t.runtime.mcp.settled();
  return t;
}

/** Calls the tool, allows it in the approval dialog, and resolves with the question the server then asks. */
async function askedDuringCall(t: TestRuntime, signal?: AbortSignal) {
  const approval = nextEvent(t, 'approval.requested');
  const asked = nextEvent(t, 'elicitation.requested');
  const call = t.runtime.callTool(TOOL, {}, signal);
  await t.runtime.handlers['approvals.decide']({ approvalId: (await approval).id, choice: 'allow_once' });
  return { call, question: await asked };
}

const answer = (t: TestRuntime, question: ElicitationRequest, body: Parameters<TestRuntime['runtime']['handlers']['elicitations.answer']>[0]['answer']) =>
  t.runtime.handlers['elicitations.answer']({ elicitationId: question.id, answer: body });

describe('an MCP server asking the person mid-call (elicitation)', () => {
  it('shows the question with its fields and call, refuses values that do not fit, and holds the call’s timeout while the person answers', async () => {
    const t = await start();
    expect(t.runtime.listTools().some((tool) => tool.name === TOOL)).toBe(true); // offered only to clients that can ask

    const { call, question } = await askedDuringCall(t);
    expect(question).toMatchObject({ server: 'everything', sandboxed: true, message: 'Please provide inputs for the following fields:' });
    expect(question.call).toMatchObject({ toolName: TOOL });
    const fields = new Map(question.fields.map((f) => [f.name, f]));
    expect(fields.get('name')).toMatchObject({ required: true, field: { type: 'string', title: 'String' } });
    expect(fields.get('integer')).toMatchObject({ required: false, field: { type: 'integer', minimum: 1, maximum: 100, default: 42 } });
    expect(fields.get('email')?.field.format).toBe('email');
    expect(fields.get('legacyTitledEnum')?.field.options?.[1]).toEqual({ value: 'pet-2', label: 'Dogs' });
    expect(fields.get('titledMultipleSelectEnum')?.field).toMatchObject({ type: 'array', maxItems: 3, options: expect.arrayContaining([{ value: 'fish-2', label: 'Salmon' }]) });
    expect(await t.runtime.handlers['elicitations.pending']({})).toHaveLength(1);

    // Values that do not fit are refused, and the question stays open.
    await expect(answer(t, question, { action: 'accept', content: { integer: 500 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/name: Required\. integer: Must be at most 100\./) });
    await expect(answer(t, question, { action: 'accept', content: { name: 'x', invented: 'y' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    // The person takes longer than the call's 1 s idle timeout: the server waits for them, it is not stuck.
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const resolved = nextEvent(t, 'elicitation.resolved');
    expect(await answer(t, question, { action: 'accept', content: { name: CANARY, integer: 7, check: true, email: '' } })).toEqual({ action: 'accept' });
    expect(await resolved).toEqual({ elicitationId: question.id, action: 'accept', by: 'person' });
    const { record, traceId } = await call;
    expect(record.status).toBe('succeeded');
    expect(resultText(record.result)).toContain(`Name: ${CANARY}`);
    expect(resultText(record.result)).toContain('Favorite Integer: 7');
    expect(resultText(record.result)).not.toContain('Email'); // left empty: not given
    expect(question.call?.toolCallId).toBe(record.id);

    // The call's trace shows the question on its request's span: the fields and how it ended, not the values.
    const spans = await t.runtime.handlers['traces.spans']({ traceId, includeContent: true });
    const request = spans.find((span) => span.kind === 'mcp' && span.events?.some((e) => e.name === 'mcp.elicitation'));
    expect(request?.events?.find((e) => e.name === 'mcp.elicitation')?.attributes).toMatchObject({
      'portcullis.elicitation.fields': expect.stringMatching(/^name, check, firstLine, /),
      'portcullis.elicitation.action': 'accept',
      'portcullis.elicitation.wait_ms': expect.any(Number),
    });
    expect(JSON.stringify(request?.events)).not.toContain(CANARY);

    // The audit chain says who asked what of whom and how it ended, never what the person answered.
    const db = new Database(join(t.dataDir, 'portcullis.db'), { readonly: true });
    const audited = db.prepare("SELECT tool_call_id, data_json FROM audit_log WHERE kind = 'elicitation.answered'").all() as { tool_call_id: string; data_json: string }[];
    db.close();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.tool_call_id).toBe(record.id);
    expect(JSON.parse(audited[0]!.data_json)).toEqual({ server: 'everything', fields: question.fields.map((f) => f.name), action: 'accept', by: 'person' });
    expect(audited[0]!.data_json).not.toContain(CANARY);
    expect(readFileSync(join(t.dataDir, 'logs', 'portcullis.log'), 'utf8')).not.toContain(CANARY);
  }, 30_000);

  it('a decline or a cancel is what the server is told; stopping the call withdraws its question', async () => {
    const t = await start();
    const declined = await askedDuringCall(t);
    await answer(t, declined.question, { action: 'decline' });
    expect(resultText((await declined.call).record.result)).toContain('User declined to provide the requested information');

    const cancelled = await askedDuringCall(t);
    await answer(t, cancelled.question, { action: 'cancel' });
    expect(resultText((await cancelled.call).record.result)).toContain('User cancelled the elicitation dialog');

    const stop = new AbortController();
    const stopped = await askedDuringCall(t, stop.signal);
    const withdrawn = nextEvent(t, 'elicitation.resolved');
    stop.abort();
    expect(await withdrawn).toEqual({ elicitationId: stopped.question.id, action: 'cancel', by: 'withdrawn' });
    expect((await stopped.call).record.error?.code).toBe('TOOL_CANCELLED');
    expect(await t.runtime.handlers['elicitations.pending']({})).toEqual([]);
    await expect(answer(t, stopped.question, { action: 'decline' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 30_000);

  it('from a script, where no one can fill in a form, every question is declined', async () => {
    const t = await start({ scripted: true });
    const { record } = await t.runtime.callTool(TOOL, {});
    expect(record.status).toBe('succeeded');
    expect(resultText(record.result)).toContain('User declined to provide the requested information');
    await until('no question was left open', () => t.runtime.handlers['elicitations.pending']({}), (pending) => pending.length === 0);
  }, 30_000);

  it('a server barred from asking ("elicitation": false) is told it cannot, and offers no tool that needs to', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), elicitation: false }, other: { command: mcpBin('everything') } });
    const t = startTestRuntime({ dataDir });
    await t.runtime.mcp.settled();
    const names = t.runtime.listTools().map((tool) => tool.name);
    expect(names).toContain('everything.echo');
    expect(names).not.toContain(TOOL);
    // The same server, not barred, offers it: the switch is per server.
    expect(names).toContain('other.trigger-elicitation-request');
  });
});
