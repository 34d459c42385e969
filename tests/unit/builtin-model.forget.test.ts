import { describe, expect, it } from 'vitest';
import { BuiltinModel, BUILTIN_MODEL_HELP } from '../../src/core/model/builtin/builtin-model';
import { planForget } from '../../src/core/model/builtin/forget-plan';
import type { ModelChunk, ModelMessage, ModelRequest } from '../../src/core/model/model-provider';
import { fenceUntrusted } from '../../src/core/taint/untrusted-fence';

const memoryTools = ['memory.save', 'memory.search', 'memory.forget'].map((name) => ({ name, description: name, inputSchema: {} }));

async function step(messages: ModelMessage[], tools = memoryTools): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  const request: ModelRequest = { messages, tools };
  for await (const chunk of new BuiltinModel().stream(request)) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: ModelChunk[]) => chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
const callsOf = (chunks: ModelChunk[]) => chunks.filter((c) => c.type === 'tool-call');

type Hit = { id: string; snippet: string; kind?: 'memory' | 'message' };
const searchResult = (query: string, hits: Hit[]): Extract<ModelMessage, { role: 'tool' }> => ({
  role: 'tool',
  toolCallId: 'builtin-1',
  toolName: 'memory.search',
  content: JSON.stringify({ query, hits: hits.map((hit) => ({ kind: 'memory', conversationId: null, ...hit })) }),
  isError: false,
});

/** The messages of a forget turn after its search: the request, the model's search call and its result. */
const afterSearch = (request: string, result: Extract<ModelMessage, { role: 'tool' }>): ModelMessage[] => [
  { role: 'user', content: request },
  { role: 'assistant', content: '', toolCalls: [{ id: 'builtin-1', name: 'memory.search', arguments: { query: 'x' } }] },
  result,
];

describe('built-in model: forgetting by words', () => {
  it('asks what to forget rather than searching for "it"', async () => {
    const chunks = await step([{ role: 'user', content: 'forget it' }]);
    expect(callsOf(chunks)).toEqual([]);
    expect(textOf(chunks)).toBe('I understood that you want to forget a remembered fact (delete it from long-term memory), but I could not tell what to forget. Could you say it again with that?');
  });

  it('searches memories for what to forget first (memory.forget needs an id)', async () => {
    expect(callsOf(await step([{ role: 'user', content: 'forget that I like tea' }]))).toMatchObject([{ name: 'memory.search', arguments: { query: 'I like tea' } }]);
  });

  it('forgets the one memory that matches', async () => {
    const chunks = await step(afterSearch('forget what you know about my dentist', searchResult('dentist', [{ id: 'm1', snippet: 'my dentist is Dr. Okafor' }])));
    expect(callsOf(chunks)).toMatchObject([{ name: 'memory.forget', arguments: { id: 'm1' } }]);
    expect(textOf(chunks)).toBe('');
  });

  it('of several, forgets the one whose words are those asked about', async () => {
    const hits = [{ id: 'm1', snippet: 'I like tea with milk' }, { id: 'm2', snippet: 'I like tea.' }];
    expect(callsOf(await step(afterSearch('forget that I like tea', searchResult('I like tea', hits))))).toMatchObject([{ name: 'memory.forget', arguments: { id: 'm2' } }]);
    expect(planForget('dentist is Dr. Okafor', searchResult('q', [{ id: 'm1', snippet: 'my dentist is Dr. Okafor' }, { id: 'm2', snippet: 'dentist is Dr. Okafor on Mondays' }]))).toEqual({ name: 'memory.forget', arguments: { id: 'm1' } });
  });

  it('lists several matches with the call that forgets each, and forgets none', async () => {
    const hits = [{ id: 'm1', snippet: 'I like green tea' }, { id: 'm2', snippet: 'tea at four' }];
    const chunks = await step(afterSearch('forget what you know about tea', searchResult('tea', hits)));
    expect(callsOf(chunks)).toEqual([]);
    expect(textOf(chunks)).toBe(
      '2 memories match "tea", so I have not forgotten any of them:\n' +
        '- I like green tea: `memory.forget {"id":"m1"}`\n' +
        '- tea at four: `memory.forget {"id":"m2"}`\n\n' +
        'To forget one, send its line\'s memory.forget call as your message, or ask again with more of its words ("forget that …").',
    );
  });

  it('says a full page of matches may not be all of them', () => {
    const hits = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, snippet: `tea ${i}` }));
    expect(planForget('tea', searchResult('tea', hits))).toMatch(/^10 memories match "tea" \(there may be more\)/);
  });

  it('says so when nothing matches', async () => {
    const chunks = await step(afterSearch('forget my locker number', searchResult('locker number', [])));
    expect(callsOf(chunks)).toEqual([]);
    expect(textOf(chunks)).toBe('I don\'t remember anything about "locker number", so there is nothing to forget.');
  });

  it('counts only memories: a conversation message found is not one to forget', () => {
    expect(planForget('tea', searchResult('tea', [{ id: 'msg1', snippet: 'I like tea', kind: 'message' }]))).toMatch(/nothing to forget/);
  });

  it('reads a search result fenced as untrusted', async () => {
    const result = searchResult('dentist', [{ id: 'm1', snippet: 'my dentist is Dr. Okafor' }]);
    const fenced = { ...result, content: fenceUntrusted(result.content, 'a memory saved while its conversation held https://evil.example', 'c1') };
    expect(callsOf(await step(afterSearch('forget what you know about my dentist', fenced)))).toMatchObject([{ name: 'memory.forget', arguments: { id: 'm1' } }]);
  });

  it('describes a failed search as it is', async () => {
    const failed = { ...searchResult('x', []), content: JSON.stringify({ code: 'TOOL_FAILED', message: 'broken' }), isError: true };
    expect(textOf(await step(afterSearch('forget that I like tea', failed)))).toBe('The memory.search call failed: broken');
  });

  it('says when memory.forget is not offered in the conversation', async () => {
    const chunks = await step(afterSearch('forget that I like tea', searchResult('I like tea', [{ id: 'm1', snippet: 'I like tea' }])), memoryTools.slice(0, 2));
    expect(callsOf(chunks)).toEqual([]);
    expect(textOf(chunks)).toBe('I found the memory to forget, but memory.forget is not available in this conversation.');
  });

  it('after the forget, says what was forgotten, and never forgets twice in a turn', async () => {
    const messages: ModelMessage[] = [
      ...afterSearch('forget that I like tea', searchResult('I like tea', [{ id: 'm1', snippet: 'I like tea' }])),
      { role: 'assistant', content: '', toolCalls: [{ id: 'builtin-2', name: 'memory.forget', arguments: { id: 'm1' } }] },
      { role: 'tool', toolCallId: 'builtin-2', toolName: 'memory.forget', content: JSON.stringify({ forgotten: { id: 'm1', content: 'I like tea' } }), isError: false },
    ];
    const chunks = await step(messages);
    expect(callsOf(chunks)).toEqual([]);
    expect(textOf(chunks)).toBe('Forgotten: "I like tea".');
  });

  it('a recall request only describes what it found', async () => {
    const chunks = await step(afterSearch('what do you remember about tea?', searchResult('tea', [{ id: 'm1', snippet: 'I like tea' }])));
    expect(callsOf(chunks)).toEqual([]);
    expect(textOf(chunks)).toBe('Here is what I remember:\n- I like tea');
  });

  it('its help says it can forget', () => {
    expect(BUILTIN_MODEL_HELP).toContain('forget them ("forget that …")');
  });
});
