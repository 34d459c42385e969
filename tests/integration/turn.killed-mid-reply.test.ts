import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import type { SpanRecord } from '../../src/shared/domain/span';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { storedFiles } from '../helpers/stored-files';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/** Sixty words, one every 100 ms: six seconds of a reply being read as it streams. */
const WORDS = Array.from({ length: 60 }, (_, i) => `word${String(i).padStart(2, '0')} `);
const WHOLE = WORDS.join('');

/** A host whose model streams WORDS slowly, with a conversation (private when asked) whose turn has begun streaming. */
async function streamingHost(dataDir: string, options: { private?: boolean } = {}) {
  const server = await startFakeOpenAiServer();
  server.reply({ slow: WORDS.map((word) => chunk.text(word)), everyMs: 100 });
  const host = await startHost(dataDir);
  await callHost(host, 'models.set', { selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' } });
  const { id } = await callHost<{ id: string }>(host, 'conversations.create', options.private ? { private: true } : {});
  await callHost(host, 'chat.send', { conversationId: id, text: 'tell me a long story' });
  await until('the model is asked', () => Promise.resolve(server.requests.length), (n) => n === 1);
  // About fifteen words shown; two drafts' time at the most every 500 ms.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return { server, host, id };
}

/**
 * Portcullis killed (kill -9, a crash) while a reply streams: what the person had read of it was lost at the restart,
 * where Stop keeps it, cut short. It is drafted as it streams, and the next start keeps it as Stop does.
 */
describe('a process killed while a reply streams', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('keeps the reply as far as it had come, cut short, after the restart', async () => {
    const dataDir = tempDir();
    const started = await streamingHost(dataDir);
    host = started.host;
    // The words read so far are on disk (what the private conversation's test looks for cannot be missed).
    expect(storedFiles(dataDir).some((file) => readFileSync(file).includes('word03'))).toBe(true);
    await stopHost(host, 'SIGKILL');

    host = await startHost(dataDir);
    const messages = await callHost<Message[]>(host, 'messages.list', { conversationId: started.id });
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const reply = messages[1]!;
    // Cut short, as a stopped reply: not an answer, so Retry is offered.
    expect(reply.cutShort).toBe(true);
    expect(reply.traceId).toBe(messages[0]!.traceId);
    expect(WHOLE.startsWith(reply.content)).toBe(true);
    // At most half a second (five words) behind the fifteen or so shown.
    expect(reply.content.length).toBeGreaterThanOrEqual(WORDS.slice(0, 8).join('').length);
    expect(reply.content.length).toBeLessThan(WHOLE.length);
    // Its trace says Portcullis stopped during the turn, so the chat says so under the reply (as for a killed tool call).
    const spans = await callHost<SpanRecord[]>(host, 'traces.spans', { traceId: reply.traceId });
    expect(spans.find((span) => span.parentSpanId === null)).toMatchObject({ statusMessage: expect.stringMatching(/^Portcullis stopped before this turn ended/) });
    // Searchable as any message, once kept.
    const found = await callHost<unknown[]>(host, 'search.query', { query: 'word03' });
    expect(found.length).toBeGreaterThan(0);

    // Retry answers the same message after it, with the reply so far in what the model reads.
    started.server.reply({ sse: [chunk.text('The whole story.'), chunk.finish('stop')] });
    await callHost(host, 'chat.retry', { conversationId: started.id });
    const second = host;
    const after = await until('the retry is answered', () => callHost<Message[]>(second, 'messages.list', { conversationId: started.id }), (list) => list.length === 3);
    expect(after[2]).toMatchObject({ role: 'assistant', content: 'The whole story.' });
    expect(after[2]!.cutShort).toBeUndefined();
    await stopHost(host);

    // No draft is left once kept.
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM reply_drafts').get()).toEqual({ n: 0 });
    db.close();
  }, 60_000);

  it('drafts nothing of a private conversation on disk', async () => {
    const dataDir = tempDir();
    const started = await streamingHost(dataDir, { private: true });
    host = started.host;
    for (const file of storedFiles(dataDir)) expect(readFileSync(file).includes('word03')).toBe(false);
    await stopHost(host, 'SIGKILL');
    for (const file of storedFiles(dataDir)) expect(readFileSync(file).includes('word03')).toBe(false);
  }, 60_000);
});
