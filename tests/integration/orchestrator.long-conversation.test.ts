import { describe, expect, it } from 'vitest';
import type { ModelProvider } from '../../src/core/model/model-provider';
import { seedLongConversation } from '../helpers/long-conversation';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

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
    const model: ModelProvider = {
      id: 'small', description: 'A model with a small, known context',
      contextWindow: async () => ({ tokens: 8_192, source: 'person' }),
      async *stream() {
        yield { type: 'text-delta', text: 'ok' };
        yield { type: 'finish', reason: 'stop' };
      },
    };
    const t = startTestRuntime({ model });
    const { id } = await t.runtime.handlers['conversations.create']({});
    const before = await t.runtime.handlers['chat.contextUse']({ conversationId: id });
    await t.runtime.startTurn(id, 'hello').done;
    const during = t.events.find((e) => e.channel === 'chat.contextUsed')!.payload as { use: { budget: number } };
    expect(before.budget).toBeLessThan(8_192);
    expect(before.budget).toBe(during.use.budget);
  });

  it('says what the instructions and tool definitions take of a small context, when they leave the history no room', async () => {
    const model: ModelProvider = {
      id: 'tiny', description: 'A model with a context smaller than its tools',
      contextWindow: async () => ({ tokens: 1_024, source: "Ollama's default context" }),
      async *stream() {
        yield { type: 'text-delta', text: 'ok' };
        yield { type: 'finish', reason: 'stop' };
      },
    };
    const t = startTestRuntime({ model });
    const { id } = await t.runtime.handlers['conversations.create']({});
    const use = await t.runtime.handlers['chat.contextUse']({ conversationId: id });
    // 1,024 less a quarter for the reply and a tenth spare leaves 666 tokens: the built-in tools alone take more.
    expect(use.budget).toBe(0);
    expect(use.overhead).toBeGreaterThan(666);
  });
});
