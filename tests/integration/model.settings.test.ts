import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dispatchRequest } from '../../src/core/api/dispatch';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { createRuntime } from '../../src/core/runtime/create-runtime';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../../src/core/sandbox/worker-tool-runner';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { builtToolWorker } from '../helpers/paths';
import { seedLongConversation } from '../helpers/long-conversation';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server';
import { tempDir } from '../helpers/temp-dir';
import { freePort } from '../helpers/free-port';


function start(dataDir = tempDir(), secrets = new MemorySecretStore()) {
  const launcher = createForkLauncher(builtToolWorker);
  const runtime = createRuntime(
    { version: 'test', dataDir },
    { createToolRunner: (ws) => new WorkerToolRunner(launcher, ws), approvalGate: new FixedApprovalGate('all'), secretStore: secrets },
  );
  onTestFinished(() => runtime.dispose());
  return { runtime, dataDir, secrets };
}

describe('model settings', () => {
  it('switches the runtime to a local OpenAI-compatible server, which then drives a governed turn, and remembers it', async () => {
    const server = await startFakeOpenAiServer();
    server.reply(
      { sse: [chunk.toolStart(0, 'call_1', 'fs__list'), chunk.toolArgs(0, '{"path":"."}'), chunk.finish('tool_calls')] },
      { sse: [chunk.text('You have a.txt.'), chunk.finish('stop')] },
    );
    const { runtime, dataDir } = start();
    writeFileSync(join(runtime.paths.workspace, 'a.txt'), 'a');
    const selection = { provider: 'openai-compatible' as const, baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' as const };
    const settings = await runtime.handlers['models.set']({ selection });
    expect(settings).toMatchObject({ selection, active: { id: `fake-model@${server.baseUrl}` } });
    const { id } = await runtime.handlers['conversations.create']({});
    const result = await runtime.startTurn(id, 'list the files').done;
    expect(result).toMatchObject({ error: null, reply: 'You have a.txt.' });
    expect(result.toolCalls).toMatchObject([{ toolName: 'fs.list', status: 'succeeded' }]);
    // The result went back under the id the model gave its call, as hosted APIs require (the fake server checks too).
    expect((server.requests[1]!.messages as { role: string }[]).find((m) => m.role === 'tool')).toMatchObject({ tool_call_id: 'call_1' });
    // Offered every tool (the route is enforced per call, not by hiding tools), under names the API accepts.
    expect((server.requests[0]!.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(expect.arrayContaining(['fs__list', 'fs__read', 'fs__write', 'http__fetch']));
    expect(result.toolCalls[0]).toMatchObject({ decision: { effect: 'allow' } }); // within the route: it ran without asking
    await runtime.dispose();

    const again = start(dataDir);
    expect((await again.runtime.handlers['models.get']({})).selection).toEqual(selection);
  });

  it('keeps a hosted key in the keychain port and only reports that it is set', async () => {
    const { runtime, secrets } = start();
    const settings = await runtime.handlers['models.set']({ selection: { provider: 'anthropic', model: 'claude-x' }, apiKey: 'sk-ant-test-123456' });
    expect(settings.hostedKeys).toEqual({ anthropic: true, openai: false });
    expect(JSON.stringify(settings)).not.toContain('sk-ant-test-123456');
    expect(secrets.values.get('provider.anthropic.apiKey')).toBe('sk-ant-test-123456');
  });

  it('rejects a malformed selection before anything is stored', async () => {
    const { runtime } = start();
    const result = await dispatchRequest(runtime.handlers, 'models.set', { selection: { provider: 'openai-compatible', baseUrl: 'file:///etc/passwd', model: 'x' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await runtime.handlers['models.get']({})).selection).toEqual({ provider: 'builtin' });
  });

  it('tests a model: native tool calling detected against a real server', async () => {
    const server = await startFakeOpenAiServer();
    const call = { sse: [chunk.toolStart(0, 'c', 'probe__echo'), chunk.toolArgs(0, '{"word":"portcullis"}'), chunk.finish('tool_calls')] };
    server.reply(call, { sse: [chunk.text('{"tool_calls":[{"name":"probe.echo","arguments":{"word":"portcullis"}}]}'), chunk.finish('stop')] });
    const { runtime } = start();
    const result = await runtime.handlers['models.test']({ selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' } });
    expect(result).toMatchObject({ ok: true, toolCalling: true, jsonOutput: true, recommendedToolMode: 'native' });
  });

  it('tests a hosted model with the key typed in, before it is saved, and keeps nothing of it', async () => {
    const api = await startFakeAnthropicServer();
    api.reply({ toolUse: { id: 'toolu_1', name: 'probe__echo', input: { word: 'portcullis' } } }, { text: '{"tool_calls":[{"name":"probe.echo","arguments":{"word":"portcullis"}}]}' });
    const previous = process.env.ANTHROPIC_BASE_URL;
    process.env.ANTHROPIC_BASE_URL = api.baseUrl;
    onTestFinished(() => {
      if (previous === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = previous;
    });
    const { runtime, secrets } = start();
    const typed = 'sk-ant-typed-canary-5d1e';
    const result = await runtime.handlers['models.test']({ selection: { provider: 'anthropic', model: 'claude-test' }, apiKey: typed });
    expect(result).toMatchObject({ ok: true, toolCalling: true });
    expect(api.apiKeys).toEqual([typed, typed]);
    expect(await secrets.list()).toEqual([]);
    expect((await runtime.handlers['models.get']({})).hostedKeys.anthropic).toBe(false);
  });

  it('a model that does not answer is said so, with where to look, not blamed for its tool calling', async () => {
    const server = await startFakeOpenAiServer();
    const { runtime } = start();
    const test = (baseUrl: string) => runtime.handlers['models.test']({ selection: { provider: 'openai-compatible', baseUrl, model: 'fake-model', toolMode: 'native' } });
    const wrongPath = await test(`${server.baseUrl}/nowhere`);
    expect(wrongPath).toMatchObject({ ok: false, message: expect.stringMatching(/^The model did not answer: .*404.*Check the address \(an OpenAI-compatible server's usually ends in \/v1\) and the model's name\.$/) });
    const closed = await freePort();
    const down = await test(`http://127.0.0.1:${closed}/v1`);
    expect(down).toMatchObject({ ok: false, message: expect.stringMatching(new RegExp(`^The model did not answer: .*Is the server running at http://127\\.0\\.0\\.1:${closed}/v1\\?$`)) });
    // One piece of advice, the card's own: not also the chat's "check … in Settings → Model", said on that card.
    for (const { message } of [wrongPath, down]) expect(message).not.toContain('Settings → Model');
  });

  it('fits a long conversation to the context the local server reports, and to the person’s figure when set', async () => {
    const server = await startFakeOpenAiServer(['fake-model'], { 'GET /props': { default_generation_settings: { n_ctx: 2048 } } });
    const dataDir = tempDir();
    await start(dataDir).runtime.dispose(); // creates the schema
    seedLongConversation(dataDir);
    const { runtime } = start(dataDir);
    const selection = { provider: 'openai-compatible' as const, baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' as const };
    const sent = async () => {
      server.reply({ sse: [chunk.text('Done.'), chunk.finish('stop')] });
      const result = await runtime.startTurn('long', 'what did the notes say?').done;
      expect(result.error).toBeNull();
      const model = (await runtime.handlers['traces.spans']({ traceId: result.traceId })).find((s) => s.kind === 'model')!;
      return { messages: (server.requests.at(-1)!.messages as unknown[]).length, attributes: model.attributes };
    };

    await runtime.handlers['models.set']({ selection });
    const small = await sent();
    // 2,048 tokens less the reply's room, a tenth spare and the system prompt: a few recent turns, not 4,000 messages.
    expect(small.attributes).toMatchObject({ 'portcullis.model.context_tokens': 2048, 'portcullis.model.context_source': 'llama.cpp server' });
    expect(small.attributes['portcullis.history.budget_tokens']).toBeLessThan(1_300);
    expect(small.attributes['portcullis.history.tokens']).toBeLessThanOrEqual(small.attributes['portcullis.history.budget_tokens'] as number);
    expect(small.messages).toBeGreaterThan(2);
    expect(small.messages).toBeLessThan(40);

    await runtime.handlers['models.set']({ selection: { ...selection, contextTokens: 1_000_000 } });
    const large = await sent();
    // The person's figure wins over the server's; the history stays within the default limit all the same.
    expect(large.attributes).toMatchObject({ 'portcullis.model.context_tokens': 1_000_000, 'portcullis.model.context_source': 'set in Settings', 'portcullis.history.budget_tokens': 24_000 });
    expect(large.messages).toBeGreaterThan(10 * small.messages);
  });

  it('a test reports the context the server says, beside the tool-calling result', async () => {
    const server = await startFakeOpenAiServer(['fake-model'], { 'GET /props': { default_generation_settings: { n_ctx: 8192 } } });
    server.reply({ status: 500, body: '{"error":{"message":"busy"}}' }, { status: 500, body: '{"error":{"message":"busy"}}' });
    const { runtime } = start();
    const result = await runtime.handlers['models.test']({ selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native', contextTokens: 4096 } });
    expect(result).toMatchObject({ ok: false, context: { tokens: 8192, source: 'llama.cpp server' } });
  });

  it('cuts a tool result that would overflow a small context in what the model sees, and keeps it whole for the person', async () => {
    const server = await startFakeOpenAiServer(['fake-model'], { 'GET /props': { default_generation_settings: { n_ctx: 2048 } } });
    server.reply(
      { sse: [chunk.toolStart(0, 'call_1', 'fs__read'), chunk.toolArgs(0, '{"path":"big.md"}'), chunk.finish('tool_calls')] },
      { sse: [chunk.text('It is long.'), chunk.finish('stop')] },
    );
    const { runtime } = start();
    const text = 'line of a long document\n'.repeat(800); // 19,200 characters, ~4,800 tokens
    writeFileSync(join(runtime.paths.workspace, 'big.md'), text);
    await runtime.handlers['models.set']({ selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' } });
    const { id } = await runtime.handlers['conversations.create']({});
    const result = await runtime.startTurn(id, 'read big.md').done;
    expect(result).toMatchObject({ error: null, reply: 'It is long.' });

    const seen = (server.requests[1]!.messages as { role: string; content: string }[]).find((m) => m.role === 'tool')!;
    expect(seen.content).toContain('[cut here: the result is');
    expect(seen.content.length).toBeLessThan(3_000); // a third of the ~1,300 tokens of room, at four characters a token
    expect((result.toolCalls[0]!.result as { content: string }).content).toBe(text);
    // The trace says so: the step that sent the result counts it cut, the step that read the file none.
    const steps = (await runtime.handlers['traces.spans']({ traceId: result.traceId })).filter((span) => span.kind === 'model');
    expect(steps.map((span) => span.attributes['portcullis.history.cut_results'])).toEqual([0, 1]);
    // …and so does the meter above the message box: the next turn's model would see the result cut too.
    const use = await runtime.handlers['chat.contextUse']({ conversationId: id });
    expect(use.resultsCut).toBe(1);
    // …and the cut call's card, in the very numbers the model was told.
    expect(use.cutResults).toEqual([{ toolCallId: result.toolCalls[0]!.id, shownChars: expect.any(Number), totalChars: expect.any(Number) }]);
    const { shownChars, totalChars } = use.cutResults![0]!;
    expect(seen.content).toContain(`the result is ${totalChars.toLocaleString('en-US')} characters and only the first ${shownChars.toLocaleString('en-US')} fit`);
    expect(totalChars).toBeGreaterThanOrEqual(text.length);
  });
});
