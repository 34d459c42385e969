import { describe, expect, it } from 'vitest';
import { BuiltinModel, BUILTIN_MODEL_HELP } from '../../src/core/model/builtin/builtin-model';
import type { ModelChunk, ModelRequest } from '../../src/core/model/model-provider';

const tools = ['fs.list', 'fs.read', 'fs.write'].map((name) => ({ name, description: name, inputSchema: {} }));

async function answer(text: string, offered = tools): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  const request: ModelRequest = { messages: [{ role: 'user', content: text }], tools: offered };
  for await (const chunk of new BuiltinModel().stream(request)) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: ModelChunk[]) => chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');

describe('built-in model: intent and slots → a tool plan', () => {
  it.each([
    ['List the files in my workspace', 'fs.list', { path: '.' }],
    ['read notes.md', 'fs.read', { path: 'notes.md' }],
    ['create notes/a.md containing # Title', 'fs.write', { path: 'notes/a.md', content: '# Title' }],
  ])('%j → %s %j', async (text, name, args) => {
    expect((await answer(text)).filter((c) => c.type === 'tool-call')).toMatchObject([{ name, arguments: args }]);
  });

  it('says honestly what it cannot do', async () => {
    const chunks = await answer('what is the capital of France?');
    expect(chunks.some((c) => c.type === 'tool-call')).toBe(false);
    expect(textOf(chunks)).toBe(BUILTIN_MODEL_HELP);
  });

  it('asks for a missing slot instead of guessing', async () => {
    const chunks = await answer('delete the file please');
    expect(chunks.some((c) => c.type === 'tool-call')).toBe(false);
    expect(textOf(chunks)).toMatch(/could not tell/);
  });

  it('names the tool it would need when the conversation does not offer it', async () => {
    expect(textOf(await answer('fetch https://example.com'))).toContain('http.fetch');
  });
});
