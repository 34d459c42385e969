import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { contextWindowOf, detectContextWindow } from '../../src/core/model/context-window';
import { startFakeOpenAiServer } from '../helpers/fake-openai-server';

/** Each local server's own API, as it answers about a model (shapes from their documentation). */
const llamaCppProps = { 'GET /props': { default_generation_settings: { n_ctx: 8192 }, total_slots: 1 } };
const lmStudioModels = (loaded: boolean) => ({
  'GET /api/v1/models': {
    models: [{ type: 'llm', key: 'qwen3-8b', max_context_length: 131072, loaded_instances: loaded ? [{ id: 'qwen3-8b', config: { context_length: 16384 } }] : [] }],
  },
});
const ollamaShow = (parameters: string) => ({
  'POST /api/show': { parameters, model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 } },
});

describe('asking a local server how large the model context is', () => {
  it('llama.cpp: the n_ctx of its /props', async () => {
    const server = await startFakeOpenAiServer(['m'], llamaCppProps);
    expect(await detectContextWindow(server.baseUrl, 'm')).toEqual({ tokens: 8192, source: 'llama.cpp server' });
  });

  it('LM Studio: the loaded instance’s context, not the model’s maximum; nothing while it is not loaded', async () => {
    const loaded = await startFakeOpenAiServer(['qwen3-8b'], lmStudioModels(true));
    expect(await detectContextWindow(loaded.baseUrl, 'qwen3-8b')).toEqual({ tokens: 16384, source: 'LM Studio, the loaded model' });
    const idle = await startFakeOpenAiServer(['qwen3-8b'], lmStudioModels(false));
    expect(await detectContextWindow(idle.baseUrl, 'qwen3-8b')).toBeNull();
  });

  it('LM Studio 0.3 (REST API v0 only): a loaded model’s loaded_context_length, never its max_context_length', async () => {
    const v0 = (state: string, extra: Record<string, unknown> = {}) => ({
      'GET /api/v0/models': { object: 'list', data: [{ id: 'qwen2.5-7b-instruct', object: 'model', type: 'llm', state, max_context_length: 32768, ...extra }] },
    });
    const loaded = await startFakeOpenAiServer(['qwen2.5-7b-instruct'], v0('loaded', { loaded_context_length: 4096 }));
    expect(await detectContextWindow(loaded.baseUrl, 'qwen2.5-7b-instruct')).toEqual({ tokens: 4096, source: 'LM Studio, the loaded model' });
    const idle = await startFakeOpenAiServer(['qwen2.5-7b-instruct'], v0('not-loaded'));
    expect(await detectContextWindow(idle.baseUrl, 'qwen2.5-7b-instruct')).toBeNull();
  });

  it('Ollama: the loaded model’s context from /api/ps (named with its :latest tag), before anything else', async () => {
    const server = await startFakeOpenAiServer(['llama3.2'], {
      'GET /api/ps': { models: [{ name: 'llama3.2:latest', model: 'llama3.2:latest', context_length: 8192 }] },
      ...ollamaShow('num_ctx 32768'),
    });
    expect(await detectContextWindow(server.baseUrl, 'llama3.2')).toEqual({ tokens: 8192, source: 'Ollama, the loaded model' });
  });

  it('Ollama, model not loaded: its Modelfile’s num_ctx, else Ollama’s default and never the trained maximum', async () => {
    const withNumCtx = await startFakeOpenAiServer(['llama3.2'], { 'GET /api/ps': { models: [] }, ...ollamaShow('temperature 0.7\nnum_ctx 32768\nstop "<|eot|>"') });
    expect(await detectContextWindow(withNumCtx.baseUrl, 'llama3.2')).toEqual({ tokens: 32768, source: "Ollama, the model's num_ctx" });
    const plain = await startFakeOpenAiServer(['llama3.2'], { 'GET /api/ps': { models: [] }, ...ollamaShow('temperature 0.7') });
    expect(await detectContextWindow(plain.baseUrl, 'llama3.2')).toEqual({ tokens: 4096, source: "Ollama's default context, until the model is loaded" });
  });

  it('vLLM: max_model_len in its model list', async () => {
    const server = await startFakeOpenAiServer(['m'], { 'GET /v1/models': { object: 'list', data: [{ id: 'm', object: 'model', max_model_len: 32768 }] } });
    expect(await detectContextWindow(server.baseUrl, 'm')).toEqual({ tokens: 32768, source: 'vLLM' });
  });

  it('an OpenAI-compatible service whose model list gives context_length (OpenRouter, Together)', async () => {
    const server = await startFakeOpenAiServer(['m'], { 'GET /v1/models': { data: [{ id: 'other', context_length: 8192 }, { id: 'm', context_length: 65536 }] } });
    expect(await detectContextWindow(server.baseUrl, 'm')).toEqual({ tokens: 65536, source: "the server's model list" });
  });

  it('a server with none of these APIs, or answering them with another shape, says nothing', async () => {
    const bare = await startFakeOpenAiServer(['m']);
    expect(await detectContextWindow(bare.baseUrl, 'm')).toBeNull();
    // LM Studio answers Ollama's paths with 200 and an error body; llama.cpp with n_ctx as a string is not believed.
    const odd = await startFakeOpenAiServer(['m'], { 'GET /api/ps': { error: 'Unexpected endpoint' }, 'GET /props': { default_generation_settings: { n_ctx: '8192' } } });
    expect(await detectContextWindow(odd.baseUrl, 'm')).toBeNull();
  });

  it('a server that never answers costs the timeout, not the turn', async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    expect(await detectContextWindow(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, 'm', { timeoutMs: 200 })).toBeNull();
  }, 5_000); // without the timeout the probe would wait on the socket for good

  it('asks again only after its time to live, and not at all when the person set the figure', async () => {
    const server = await startFakeOpenAiServer(['m'], llamaCppProps);
    let now = 0;
    const window = contextWindowOf(server.baseUrl, 'm', undefined, 30_000, () => now);
    expect(await window()).toMatchObject({ tokens: 8192 });
    now = 29_000;
    await window();
    expect(server.seen.filter((r) => r === 'GET /props')).toHaveLength(1);
    now = 31_000;
    await window();
    expect(server.seen.filter((r) => r === 'GET /props')).toHaveLength(2);

    const set = contextWindowOf(server.baseUrl, 'm', 2048);
    expect(await set()).toEqual({ tokens: 2048, source: 'set in Settings' });
    expect(server.seen.filter((r) => r === 'GET /props')).toHaveLength(2);
  });
});
