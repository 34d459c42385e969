import { describe, expect, it, onTestFinished } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { createAgentHarness, type AgentHarnessOptions } from '../../src/core/eval/agent-harness';
import type { ModelChunk, ModelProvider, ModelRequest } from '../../src/core/model/model-provider';
import { defaultIntentRouter } from '../../src/core/router/default-router';
import { InProcessToolRunner, type ToolHandler } from '../../src/core/tools/in-process-tool-runner';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import type { ToolAnnotations } from '../../src/shared/domain/tool-call';
import { tempDir } from '../helpers/temp-dir';
import { join } from 'node:path';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import type { Message } from '../../src/shared/domain/message';

function fixtureTool(name: string, annotations: ToolAnnotations = { readOnlyHint: true, openWorldHint: false }): ToolDefinition {
  return {
    name, description: `fixture ${name}`, inputSchema: { type: 'object' }, annotations,
    sandboxed: false, describeCall: () => name,
  };
}

function harness(model: ModelProvider, handlers: Record<string, ToolHandler>, extra: Partial<AgentHarnessOptions> = {}, annotations: Record<string, ToolAnnotations> = {}) {
  const runner = new InProcessToolRunner(handlers);
  const h = createAgentHarness({
    dataDir: tempDir(), model, approvals: new FixedApprovalGate('all'),
    tools: Object.keys(handlers).map((name) => ({ definition: fixtureTool(name, annotations[name]), runner })), ...extra,
  });
  onTestFinished(() => h.dispose());
  return h;
}

/** A model defined by a function of the request: what the budget tests need. */
function modelOf(fn: (request: ModelRequest, signal?: AbortSignal) => AsyncIterable<ModelChunk>): ModelProvider {
  return { id: 'test', description: 'test model', stream: fn };
}

/** The stored message the chat was told of, by its words. */
function answerOf(h: ReturnType<typeof harness>, content: string): Message | undefined {
  return h.events.flatMap((event) => (event.channel === 'chat.message' && event.payload.content === content ? [event.payload] : [])).at(0);
}

const loopForever = modelOf(async function* () {
  yield { type: 'tool-call', id: 'c', name: 'probe', arguments: {} };
  yield { type: 'finish', reason: 'tool-calls' };
});

describe('orchestrator budgets', () => {
  it('ends a turn that never answers after the step budget, saying so', async () => {
    let runs = 0;
    const h = harness(loopForever, { probe: async () => ++runs }, { maxSteps: 3 });
    const result = await h.runTurn('go');
    expect(result.error).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringContaining('3 steps') });
    expect(runs).toBe(3);
  });

  it('ends a turn whose model sends the same refused call a third time, saying so, rather than spending every step on it', async () => {
    let steps = 0;
    const sameBadCall = modelOf(async function* () {
      steps++;
      yield { type: 'tool-call', id: `c${steps}`, name: 'probe_tool', arguments: { path: 'a.md' } };
      yield { type: 'finish', reason: 'tool-calls' };
    });
    const h = harness(sameBadCall, { probe: async () => 'ran' }, { maxSteps: 8 });
    const result = await h.runTurn('go');
    expect(steps).toBe(3);
    expect(result.toolCalls.map((call) => call.error?.code)).toEqual(['TOOL_NOT_FOUND', 'TOOL_NOT_FOUND', 'TOOL_NOT_FOUND']);
    expect(result.error).toMatchObject({
      code: 'MODEL_OUTPUT_INVALID',
      message: expect.stringMatching(/^The model sent the same call of probe_tool 3 times and it was refused each time \("There is no tool named "probe_tool"\..*"\), so the turn was ended/),
    });

    // A refused call the model changes each time is its attempt to correct it: the step budget stays the limit.
    let tries = 0;
    const correcting = modelOf(async function* () {
      tries++;
      yield { type: 'tool-call', id: `c${tries}`, name: 'probe_tool', arguments: { attempt: tries } };
      yield { type: 'finish', reason: 'tool-calls' };
    });
    const again = harness(correcting, { probe: async () => 'ran' }, { maxSteps: 5 });
    // Ended by the step budget, which names the failing calls rather than advising a narrower request.
    expect((await again.runTurn('go')).error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      message: expect.stringMatching(/^The turn ended after 5 steps without a final answer \(the step budget\)\. The model's calls kept failing \(the last: "There is no tool named "probe_tool"\..*"\)\. Retry, ask differently/),
    });
    // Five steps of calls, then the answer step the spent budget gives it, in which it asked again.
    expect(tries).toBe(6);
  });

  it('has the model answer from the results of its last step\'s calls when the step budget is spent, told no more can run', async () => {
    const requests: ModelRequest[] = [];
    let runs = 0;
    const probesThenAnswers = modelOf(async function* (request) {
      requests.push(request);
      const last = request.messages.at(-1);
      if (last?.role === 'user' && last.fromPortcullis) {
        yield { type: 'text-delta', text: `Probed ${runs} times.` };
        yield { type: 'finish', reason: 'stop' };
        return;
      }
      yield { type: 'tool-call', id: `c${requests.length}`, name: 'probe', arguments: { i: requests.length } };
      yield { type: 'finish', reason: 'tool-calls' };
    });
    const h = harness(probesThenAnswers, { probe: async () => ++runs }, { maxSteps: 3 });
    const result = await h.runTurn('go');
    expect(result).toMatchObject({ error: null, reply: 'Probed 3 times.' });
    expect(requests).toHaveLength(4);
    expect(requests[3]!.messages.filter((message) => message.role === 'tool')).toHaveLength(3);
    expect(requests[3]!.messages.at(-1)).toEqual({
      role: 'user',
      fromPortcullis: true,
      content: '[From Portcullis, not the person: this turn has taken all 3 steps its budget allows, so no more tool calls can run in it. Answer now from the results you have, and say what was left undone.]',
    });
    // The answer is kept as one its budget asked for: the chat says so under it.
    expect(answerOf(h, 'Probed 3 times.')).toMatchObject({ answeredAtBudget: { budget: 'steps', limit: 3 } });
  });

  it('keeps with an answer the budget it came after, read back as written', () => {
    const db = openDatabase(join(tempDir(), 'portcullis.db'));
    new ConversationStore(db).create({ id: 'c1', title: 'c', createdAt: 1, updatedAt: 1 });
    const messages = new MessageStore(db);
    const written = { id: 'm1', conversationId: 'c1', turnId: 't1', role: 'assistant' as const, content: 'Done.', answeredAtBudget: { budget: 'tool_calls' as const, limit: 20 }, traceId: null, createdAt: 1 };
    messages.append(written);
    expect(messages.list('c1')).toEqual([written]);
  });

  it('runs the tool calls that fit the tool-call budget, then has the model answer from their results, told which did not run', async () => {
    let runs = 0;
    const requests: ModelRequest[] = [];
    const fiveAtOnce = modelOf(async function* (request) {
      requests.push(request);
      if (requests.length === 1) {
        for (let i = 0; i < 5; i++) yield { type: 'tool-call', id: `c${i}`, name: 'probe', arguments: { i } };
        yield { type: 'finish', reason: 'tool-calls' };
      } else {
        yield { type: 'text-delta', text: 'Three of five probed.' };
        yield { type: 'finish', reason: 'stop' };
      }
    });
    const h = harness(fiveAtOnce, { probe: async () => ++runs }, { budget: { toolCalls: 3 } });
    const result = await h.runTurn('go');
    expect(runs).toBe(3);
    expect(result.toolCalls).toHaveLength(3);
    expect(result).toMatchObject({ error: null, reply: 'Three of five probed.' });
    expect(answerOf(h, 'Three of five probed.')).toMatchObject({ answeredAtBudget: { budget: 'tool_calls', limit: 3 } });
    expect(requests[1]!.messages.filter((message) => message.role === 'tool')).toHaveLength(3);
    expect(requests[1]!.messages.at(-1)).toEqual({
      role: 'user',
      fromPortcullis: true,
      content: expect.stringMatching(/^\[From Portcullis, not the person: you asked for 5 tool call\(s\) in your last step, but the turn's budget is 3 tool calls, so only 3 of them could run\. Not run: probe \{"i":3\}; probe \{"i":4\}\. No more tool calls can run in this turn\. Answer now/),
    });
    // Said to that step alone: the next turn's model is not told it again.
    await h.runTurn('again');
    expect(JSON.stringify(requests[2]!.messages)).not.toContain('From Portcullis');
  });

  it('runs a call repeated in one step once, its answer from the one result', async () => {
    let runs = 0;
    let steps = 0;
    const twentySame = modelOf(async function* () {
      if (++steps === 1) {
        // The same call twenty times, its arguments' keys in any order.
        for (let i = 0; i < 20; i++) yield { type: 'tool-call', id: `c${i}`, name: 'probe', arguments: i % 2 ? { a: 1, b: 2 } : { b: 2, a: 1 } };
        yield { type: 'finish', reason: 'tool-calls' };
      } else {
        yield { type: 'text-delta', text: 'Probed.' };
        yield { type: 'finish', reason: 'stop' };
      }
    });
    const h = harness(twentySame, { probe: async () => ++runs });
    const result = await h.runTurn('go');
    expect(runs).toBe(1);
    expect(result).toMatchObject({ error: null, reply: 'Probed.' });
    expect(result.toolCalls).toHaveLength(1);
  });

  it('ends the turn, saying so, when the model asked to answer from the calls that ran asks for more instead; with no call left in the budget none runs', async () => {
    let runs = 0;
    let steps = 0;
    const greedy = modelOf(async function* () {
      steps++;
      yield { type: 'tool-call', id: `c${steps}a`, name: 'probe', arguments: { step: steps, n: 1 } };
      yield { type: 'tool-call', id: `c${steps}b`, name: 'probe', arguments: { step: steps, n: 2 } };
      yield { type: 'finish', reason: 'tool-calls' };
    });
    const h = harness(greedy, { probe: async () => ++runs }, { budget: { toolCalls: 2 } });
    const result = await h.runTurn('go');
    // Step 1: both ran; step 2: none fit, so the model is asked to answer; step 3 asked again.
    expect(runs).toBe(2);
    expect(steps).toBe(3);
    expect(result.error).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringMatching(/^The turn ended: the model asked for more tool calls than the turn's budget of 2 allows, and when told to answer from the results of those that ran, it asked for more calls again instead\./) });
  });

  it('ends the turn when the model reports more tokens than the budget', async () => {
    const chatty = modelOf(async function* () {
      yield { type: 'text-delta', text: 'hi' };
      yield { type: 'finish', reason: 'stop', usage: { inputTokens: 900, outputTokens: 200 } };
    });
    const result = await harness(chatty, {}, { budget: { tokens: 1000 } }).runTurn('go');
    expect(result.error).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringContaining('1100 tokens') });
  });

  it('stops a running tool when the wall-time budget ends', async () => {
    let toolSignal: AbortSignal | undefined;
    const hang: ToolHandler = (_, signal) => {
      toolSignal = signal;
      return new Promise(() => {});
    };
    const once = modelOf(async function* () {
      yield { type: 'tool-call', id: 'c', name: 'hang', arguments: {} };
      yield { type: 'finish', reason: 'tool-calls' };
    });
    const result = await harness(once, { hang }, { budget: { wallTimeMs: 100 } }).runTurn('go');
    expect(result.error).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringContaining('time budget') });
    expect(toolSignal?.aborted).toBe(true);
    expect(result.toolCalls[0]).toMatchObject({ status: 'failed', error: { code: 'TURN_STOPPED' } });
  });
});

describe('orchestrator', () => {
  it('runs the tool calls of one step in parallel', async () => {
    // Each call waits until both have started: run one after the other, the turn would never finish.
    let started = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const barrier: ToolHandler = async () => {
      if (++started === 2) release();
      await bothStarted;
      return { started };
    };
    let step = 0;
    const twoAtOnce = modelOf(async function* () {
      if (step++ === 0) {
        yield { type: 'tool-call', id: 'a', name: 'barrier', arguments: { n: 1 } };
        yield { type: 'tool-call', id: 'b', name: 'barrier', arguments: { n: 2 } };
        yield { type: 'finish', reason: 'tool-calls' };
      } else {
        yield { type: 'text-delta', text: 'both done' };
        yield { type: 'finish', reason: 'stop' };
      }
    });
    const result = await harness(twoAtOnce, { barrier }).runTurn('go');
    expect(result.error).toBeNull();
    expect(result.toolCalls.map((c) => c.status)).toEqual(['succeeded', 'succeeded']);
    expect(result.reply).toBe('both done');
  });

  it('Stop cancels the streaming model', async () => {
    let modelSignal: AbortSignal | undefined;
    let streaming!: () => void;
    const isStreaming = new Promise<void>((resolve) => (streaming = resolve));
    const slow = modelOf(async function* (_request, signal) {
      modelSignal = signal;
      yield { type: 'text-delta', text: 'thinking…' };
      streaming();
      await new Promise((resolve) => signal?.addEventListener('abort', resolve));
      yield { type: 'text-delta', text: 'too late' };
    });
    const h = harness(slow, {});
    const { conversationId, done } = h.startTurn('go');
    await isStreaming;
    expect(h.turns.stop(conversationId)).toBe(true);
    const result = await done;
    expect(result.error).toMatchObject({ code: 'TURN_STOPPED' });
    expect(modelSignal?.aborted).toBe(true);
    expect(h.events.filter((e) => e.channel === 'chat.delta').map((e) => (e.payload as { text: string }).text)).toEqual(['thinking…']);
  });

  it('Stop cancels a running tool', async () => {
    let toolSignal: AbortSignal | undefined;
    let running!: () => void;
    const isRunning = new Promise<void>((resolve) => (running = resolve));
    const hang: ToolHandler = (_, signal) => {
      toolSignal = signal;
      running();
      return new Promise(() => {});
    };
    const once = modelOf(async function* () {
      yield { type: 'tool-call', id: 'c', name: 'hang', arguments: {} };
      yield { type: 'finish', reason: 'tool-calls' };
    });
    const h = harness(once, { hang });
    const { conversationId, done } = h.startTurn('go');
    await isRunning;
    h.turns.stop(conversationId);
    const result = await done;
    expect(result.error).toMatchObject({ code: 'TURN_STOPPED' });
    expect(toolSignal?.aborted).toBe(true);
  });

  it('offers every tool; a call to a routed tool outside the route asks, naming the route, and tools no intent names are left to the policy', async () => {
    const offered: string[][] = [];
    const caller = modelOf(async function* (request) {
      offered.push(request.tools.map((t) => t.name));
      if (request.messages.at(-1)?.role === 'user') {
        for (const name of ['fs.list', 'web.fetch', 'github.issues']) yield { type: 'tool-call', id: name, name, arguments: {} };
        yield { type: 'finish', reason: 'tool-calls' };
        return;
      }
      yield { type: 'text-delta', text: 'ok' };
      yield { type: 'finish', reason: 'stop' };
    });
    const tools = { 'fs.list': async () => [], 'fs.write': async () => null, 'web.fetch': async () => '', 'github.issues': async () => [] };
    // web.fetch only reads, but reaches the outside: outside the route, it asks even though the default lets it run.
    const h = harness(caller, tools, { router: defaultIntentRouter() }, { 'web.fetch': { readOnlyHint: true, openWorldHint: true } });
    const decisionsOf = (result: Awaited<ReturnType<typeof h.runTurn>>) => Object.fromEntries(result.toolCalls.map((call) => [call.toolName, call.decision]));

    const listed = decisionsOf(await h.runTurn('list the files in my workspace'));
    // A two-step task needs its second tool: the model is offered them all, and the route is enforced per call.
    expect(offered[0]).toEqual(['fs.list', 'fs.write', 'web.fetch', 'github.issues']);
    expect(listed['fs.list']).toMatchObject({ effect: 'allow' });
    expect(listed['web.fetch']).toMatchObject({
      effect: 'ask',
      ruleId: 'route.outside',
      reason: expect.stringMatching(/^This request was understood as "files\.list" \(\d+% sure\), which uses fs\.list; web\.fetch is outside that, so it asks you first\.$/),
    });
    expect(listed['github.issues']).toMatchObject({ effect: 'allow' }); // no intent names it (an MCP server's, say)

    const spain = decisionsOf(await h.runTurn('what is the capital of spain'));
    expect(spain['web.fetch']).toMatchObject({ effect: 'ask', ruleId: 'route.outside', reason: expect.stringContaining('taken for one that needs none of these tools') });
    expect(spain['fs.list']).toMatchObject({ effect: 'allow' }); // reading is never held up by the router's guess
    expect(spain['github.issues']).toMatchObject({ effect: 'allow' });
  });
});
