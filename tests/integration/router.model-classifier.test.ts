import { describe, expect, it } from 'vitest';
import { createModelProvider } from '../../src/core/model/provider-factory';
import { defaultIntentRouter } from '../../src/core/router/default-router';
import { ModelIntentClassifier } from '../../src/core/router/model-intent-classifier';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';

async function classifier() {
  const server = await startFakeOpenAiServer();
  const model = createModelProvider({ provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' }, undefined);
  return { server, classifier: new ModelIntentClassifier(model, defaultIntentRouter()) };
}

describe('model-based intent classifier (real HTTP model)', () => {
  it('uses the model\'s structured answer, with the router\'s slots and tools', async () => {
    const { server, classifier: c } = await classifier();
    server.reply({ sse: [chunk.text('```json\n{"intent": "files.delete", "confidence": 0.9}\n```'), chunk.finish('stop')] });
    const route = await c.route('bin the file junk.txt', 'model');
    expect(route).toMatchObject({ intent: 'files.delete', confidence: 0.9, confident: true, slots: { path: 'junk.txt' }, tools: ['fs.delete'] });
    expect(String((server.requests[0]!.messages as { content: string }[]).at(-1)!.content)).toContain('files.delete');
  });

  it('falls back to the offline route when the model answers with an unknown intent or no JSON', async () => {
    const { server, classifier: c } = await classifier();
    server.reply({ sse: [chunk.text('{"intent": "shell.exec", "confidence": 1}'), chunk.finish('stop')] }, { status: 500, body: '{}' });
    expect(await c.route('list the files', 'model')).toMatchObject({ intent: 'files.list' });
    expect(await c.route('list the files', 'together')).toMatchObject({ intent: 'files.list' });
  });

  it('together: on disagreement the more confident side wins at the lower confidence', async () => {
    const { server, classifier: c } = await classifier();
    server.reply({ sse: [chunk.text('{"intent": "out_of_scope", "confidence": 0.3}'), chunk.finish('stop')] });
    const route = await c.route('read notes.md', 'together');
    expect(route).toMatchObject({ intent: 'files.read', confidence: 0.3, confident: false, tools: [] });
  });

  it('reads the answer after a lone </think>, not the JSON the model weighed in its thinking before it', async () => {
    const { server, classifier: c } = await classifier();
    server.reply({
      sse: [chunk.text('Maybe {"intent": "files.read", "confidence": 0.95}? No: "bin" means delete.\n'), chunk.text('</think>\n\n{"intent": "files.delete", "confidence": 0.9}'), chunk.finish('stop')],
    });
    expect(await c.route('bin the file junk.txt', 'model')).toMatchObject({ intent: 'files.delete', confidence: 0.9 });
  });
});
