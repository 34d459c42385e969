import { describe, expect, it } from 'vitest';
import type { ModelProvider, ModelRequest } from '../../src/core/model/model-provider';
import { seedLongConversation } from '../helpers/long-conversation';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

/** A model that answers "ok" and says its context is `tokens`; `seen` is shown each request. */
function modelWithContext(tokens: number, source: string, seen?: (request: ModelRequest) => void): ModelProvider {
  return {
    id: 'small', description: 'A model with a small, known context',
    contextWindow: async () => ({ tokens, source }),
    async *stream(request) {
      seen?.(request);
      yield { type: 'text-delta', text: 'ok' };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

describe('a long conversation', () => {
  it('keeps working: the model is sent the newest turns that fit, and the trace says how many messages were left out', async () => {
    const dataDir = tempDir();
    await startTestRuntime({ dataDir }).runtime.dispose(); // creates the schema
    seedLongConversation(dataDir);
    const { runtime } = startTestRuntime({ dataDir });

    const result = await runtime.startTurn('long', 'list files').done;
    expect(result.error).toBeNull(); // before: BUDGET_EXCEEDED, on every turn from then on
    expect(result.toolCalls[0]).toMatchObject({ toolName: 'fs.list', status: 'succeeded' });

    const models = (await runtime.handlers['traces.spans']({ traceId: result.traceId })).filter((s) => s.kind === 'model');
    expect(models.length).toBeGreaterThan(0);
    for (const span of models) {
      const sent = span.attributes['portcullis.history.messages'] as number;
      const omitted = span.attributes['portcullis.history.omitted_messages'] as number;
      expect(omitted).toBeGreaterThan(3_000);
      expect(sent + omitted).toBeGreaterThanOrEqual(4_001); // every message either sent or counted as left out
      expect(sent).toBeGreaterThan(1);
    }
  });

  it('says how much of it the model is sent: before a turn when asked, and at each model step as an event', async () => {
    const dataDir = tempDir();
    await startTestRuntime({ dataDir }).runtime.dispose();
    seedLongConversation(dataDir);
    const t = startTestRuntime({ dataDir });

    const before = await t.runtime.handlers['chat.contextUse']({ conversationId: 'long' });
    expect(before).toMatchObject({ context: null, budget: 24_000 });
    expect(before.omitted).toBeGreaterThan(3_000);
    expect(before.messages + before.omitted).toBe(4_000);
    expect(before.tokens).toBeLessThanOrEqual(24_000);

    const result = await t.runtime.startTurn('long', 'list files').done;
    const used = t.events.filter((e) => e.channel === 'chat.contextUsed').map((e) => e.payload as { turnId: string; use: { messages: number; omitted: number } });
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((e) => e.turnId === result.turnId)).toBe(true);
    expect(used[0]!.use.messages + used[0]!.use.omitted).toBe(4_001); // the new request is counted
  });

  it("before a turn, measures the room as a step does: with the tools' definitions, against the model's context", async () => {
    const t = startTestRuntime({ model: modelWithContext(8_192, 'person') });
    const { id } = await t.runtime.handlers['conversations.create']({});
    const before = await t.runtime.handlers['chat.contextUse']({ conversationId: id });
    await t.runtime.startTurn(id, 'hello').done;
    const during = t.events.find((e) => e.channel === 'chat.contextUsed')!.payload as { use: { budget: number } };
    expect(before.budget).toBeLessThan(8_192);
    expect(before.budget).toBe(during.use.budget);
  });

  it('in a context smaller than its tools, leaves tools out so that the history keeps room, and says how many', async () => {
    const t = startTestRuntime({ model: modelWithContext(1_024, "Ollama's default context") });
    const { id } = await t.runtime.handlers['conversations.create']({});
    const use = await t.runtime.handlers['chat.contextUse']({ conversationId: id });
    // 1,024 less a quarter for the reply and a tenth spare leaves 666 tokens, which every built-in tool's definition
    // took whole (a history of 0); the tools that fit a third of the context leave it room.
    expect(use.budget).toBeGreaterThan(0);
    expect(use.overhead).toBeLessThan(666);
    expect(use.toolsLeftOut).toBeGreaterThan(0);
  });
});

describe("a model whose context cannot hold every tool's definition (Ollama's 4,096 tokens with two MCP servers)", () => {
  it('is offered the tools the request most likely needs, leaving room for the request and its history, and the trace and meter say which were left out', async () => {
    const offered: string[][] = [];
    const model = modelWithContext(4_096, "Ollama's default context", (request) => offered.push(request.tools.map((tool) => tool.name)));
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') }, memory: { command: mcpBin('memory') } });
    const t = startTestRuntime({ dataDir, model });
    await t.runtime.mcp.settled();
    const registered = t.runtime.listTools().map((tool) => tool.name);
    const { id } = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(id, 'read notes.md and summarize it').done;

    expect(offered[0]!.length).toBeLessThan(registered.length);
    expect(offered[0]).toContain('fs.read'); // the route's tool
    const [span] = (await t.runtime.handlers['traces.spans']({ traceId: result.traceId })).filter((s) => s.kind === 'model');
    const leftOut = String(span!.attributes['portcullis.tools.left_out']).split(',');
    expect([...offered[0]!, ...leftOut].sort()).toEqual([...registered].sort());
    expect(span!.attributes['portcullis.history.budget_tokens']).toBeGreaterThan(0); // before: the definitions took it all
    const use = await t.runtime.handlers['chat.contextUse']({ conversationId: id });
    expect(use.toolsLeftOut).toBe(leftOut.length);
  }, 60_000);
});
