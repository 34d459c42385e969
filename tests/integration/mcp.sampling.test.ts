import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chunk, startFakeOpenAiServer, type FakeOpenAiServer } from '../helpers/fake-openai-server';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { resultText } from '../helpers/result-text';
import { nextEvent, startTestRuntime, type TestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const TOOL = 'everything.trigger-sampling-request';
const REPLY = 'sampled-words-7c1d';

/** server-everything over real stdio in the OS sandbox, with a short idle timeout a slow person must not trip. */
async function start(options: { scripted?: boolean; model?: boolean } = {}): Promise<{ t: TestRuntime; model: FakeOpenAiServer }> {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), timeoutMs: 1_000 } });
  const t = startTestRuntime({ dataDir, ...(options.scripted ? { approvalGate: new FixedApprovalGate('all') } : {}) });
  const model = await startFakeOpenAiServer(['fake-model']);
  if (options.model !== false) {
    await t.runtime.handlers['models.set']({ selection: { provider: 'openai-compatible', baseUrl: model.baseUrl, model: 'fake-model', toolMode: 'native' } });
  }
  await t.runtime.mcp.settled();
  return { t, model };
}

/** Calls the tool, allows the call, and resolves with the sampling request the server then sends, as the person sees it. */
async function askedDuringCall(t: TestRuntime, prompt: string) {
  const approval = nextEvent(t, 'approval.requested');
  const asked = nextEvent(t, 'elicitation.requested');
  const call = t.runtime.callTool(TOOL, { prompt, maxTokens: 50_000 });
  await t.runtime.handlers['approvals.decide']({ approvalId: (await approval).id, choice: 'allow_once' });
  return { call, question: await asked };
}

describe('an MCP server asking for the model’s words (sampling)', () => {
  it('shows the person the whole request first, then sends it to the chosen model with no tools and no conversation, and the reply to the server', async () => {
    const { t, model } = await start();
    expect(t.runtime.listTools().some((tool) => tool.name === TOOL)).toBe(true); // offered only to clients that sample

    const { call, question } = await askedDuringCall(t, 'name three rivers\u001b[31m');
    expect(question).toMatchObject({ server: 'everything', sandboxed: true, fields: [], call: { toolName: TOOL } });
    expect(question.sampling).toEqual({
      model: expect.stringContaining('fake-model'),
      systemPrompt: 'You are a helpful test server.',
      // The server's words cleaned as its other output is (the terminal escape is gone whole).
      messages: [{ role: 'user', text: 'Resource trigger-sampling-request context: name three rivers' }],
      maxTokens: 4_096, // asked for 50,000: capped
    });
    expect(model.requests).toHaveLength(0); // nothing reached the model before the person said so

    // The person takes longer than the call's 1 s idle timeout: the server waits, it is not stuck.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    model.reply({ sse: [chunk.text(REPLY), chunk.finish('stop')] });
    await t.runtime.handlers['elicitations.answer']({ elicitationId: question.id, answer: { action: 'accept', content: {} } });
    const { record, traceId } = await call;
    expect(record.status).toBe('succeeded');
    expect(resultText(record.result)).toContain(REPLY);
    expect(resultText(record.result)).toContain('"model": "fake-model"');

    const sent = model.requests[0]!;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are a helpful test server.' },
      { role: 'user', content: 'Resource trigger-sampling-request context: name three rivers' },
    ]);
    expect(sent.tools).toBeUndefined();
    expect(sent.max_tokens ?? sent.max_completion_tokens).toBe(4_096);

    // The trace says it happened on the call's span and how it ended, never the words.
    const spans = await t.runtime.handlers['traces.spans']({ traceId, includeContent: true });
    const event = spans.flatMap((span) => span.events ?? []).find((e) => e.name === 'mcp.sampling');
    expect(event?.attributes).toMatchObject({ 'portcullis.sampling.action': 'accept', 'portcullis.sampling.wait_ms': expect.any(Number) });
    expect(JSON.stringify(event)).not.toContain('rivers');

    // The audit chain keeps who asked for which model, and how it ended.
    const db = new Database(join(t.dataDir, 'portcullis.db'), { readonly: true });
    const audited = db.prepare("SELECT data_json FROM audit_log WHERE kind = 'elicitation.answered'").all() as { data_json: string }[];
    db.close();
    expect(audited.map((row) => JSON.parse(row.data_json))).toEqual([
      { server: 'everything', fields: [], sampling: { model: question.sampling!.model, maxTokens: 4_096 }, action: 'accept', by: 'person' },
    ]);
  }, 30_000);

  it('a declined request never reaches the model, and the server is told the person declined', async () => {
    const { t, model } = await start();
    const { call, question } = await askedDuringCall(t, 'anything');
    await t.runtime.handlers['elicitations.answer']({ elicitationId: question.id, answer: { action: 'decline' } });
    const { record } = await call;
    expect(JSON.stringify(record.result ?? record.error)).toContain('The person declined the sampling request');
    expect(model.requests).toHaveLength(0);
  }, 30_000);

  it('with the built-in model chosen, the server is told no model writes text, and the person is not asked', async () => {
    const { t } = await start({ model: false });
    const asked: unknown[] = [];
    t.runtime.onDidEmit((event) => event.channel === 'elicitation.requested' && asked.push(event.payload));
    const approval = nextEvent(t, 'approval.requested');
    const call = t.runtime.callTool(TOOL, { prompt: 'x' });
    await t.runtime.handlers['approvals.decide']({ approvalId: (await approval).id, choice: 'allow_once' });
    const { record } = await call;
    expect(JSON.stringify(record.result ?? record.error)).toContain('built-in model only routes requests to tools');
    expect(asked).toEqual([]);
  }, 30_000);

  it('from a script, where no one can look at the request, it is declined', async () => {
    const { t, model } = await start({ scripted: true });
    const { record } = await t.runtime.callTool(TOOL, { prompt: 'x' });
    expect(JSON.stringify(record.result ?? record.error)).toContain('declined');
    expect(model.requests).toHaveLength(0);
  }, 30_000);

  it('a server barred from it ("sampling": false) is told it cannot, and offers no tool that needs it', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), sampling: false }, other: { command: mcpBin('everything') } });
    const t = startTestRuntime({ dataDir });
    await t.runtime.mcp.settled();
    const names = t.runtime.listTools().map((tool) => tool.name);
    expect(names).toContain('everything.echo');
    expect(names).not.toContain(TOOL);
    expect(names).toContain('other.trigger-sampling-request');
  });
});
