import { describe, expect, it } from 'vitest';
import type { AiSdkModel } from '../../src/core/model/ai-sdk-model';
import type { ModelToolSpec } from '../../src/core/model/model-provider';
import { createModelProvider } from '../../src/core/model/provider-factory';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { collect } from '../helpers/model-chunks';

const spec = (name: string, description: string): ModelToolSpec => ({ name, description, inputSchema: { type: 'object' } });

// Server names are held to 64 characters and tool names to 128; the APIs take [a-zA-Z0-9_-]{1,64}.
const longServer = 's'.repeat(64);
const tools = [
  spec('fs.read', 'Read a file'),
  spec('my__srv.x', 'The one the model means'),
  spec('my.srv.x', "Another server's tool, listed after it"),
  spec(`${longServer}.${'t'.repeat(128)}`, 'A long name'),
  spec(`${longServer}.${'t'.repeat(127)}u`, 'Another long name, the same for its first 64 characters'),
];

describe("the tool names a model's API is given", () => {
  it('are each at most 64 of [a-zA-Z0-9_-] and each another, and a call of one comes back as that tool', async () => {
    const server = await startFakeOpenAiServer();
    const model = createModelProvider({ provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' }, undefined) as AiSdkModel;
    server.reply({ sse: [chunk.text('ok'), chunk.finish('stop')] });
    await collect(model.stream({ messages: [{ role: 'user', content: 'hi' }], tools }));
    const sent = (server.requests[0]!.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name);
    for (const name of sent) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(sent).size).toBe(tools.length);
    expect(sent.slice(0, 2)).toEqual(['fs__read', 'my__srv__x']);

    for (const [index, tool] of tools.entries()) {
      server.reply({ sse: [chunk.toolStart(0, 'call_1', sent[index]!), chunk.toolArgs(0, '{}'), chunk.finish('tool_calls')] });
      const chunks = await collect(model.stream({ messages: [{ role: 'user', content: 'go' }], tools }));
      expect(chunks.find((c) => c.type === 'tool-call')).toMatchObject({ name: tool.name });
    }
  });
});
