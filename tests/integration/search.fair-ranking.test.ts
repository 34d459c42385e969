import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/core/memory/memory-store';
import { SearchIndex } from '../../src/core/memory/search-index';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { tempDir } from '../helpers/temp-dir';

const NOW = 1_800_000_000_000;

/**
 * bm25 weighs a word by how rare it is in its own index: a word in most messages counts next to nothing there,
 * while a few long tool results that repeat it score high in theirs. Merged by raw score, those results took every
 * place and the person's own message about it was not listed at all.
 */
describe('search ranks each kind of hit fairly against the others', () => {
  it('keeps the best message and the best memory near the top when long tool results repeat a word common in the messages', () => {
    const db = openDatabase(join(tempDir(), 'portcullis.db'));
    new ConversationStore(db).create({ id: 'c1', title: 'Budget', createdAt: NOW, updatedAt: NOW });
    const messages = new MessageStore(db);
    const calls = new ToolCallStore(db);
    const memories = new MemoryStore(db);
    const say = (id: string, content: string) => messages.append({ id, conversationId: 'c1', turnId: id, role: 'user', content, traceId: null, createdAt: NOW });
    say('best', 'the budget for the offsite');
    for (let i = 0; i < 6; i++) say(`m${i}`, `budget note ${i} with a good many other words in it, about travel and rooms and food`);
    for (let i = 0; i < 8; i++) {
      calls.insert({
        id: `call${i}`, conversationId: 'c1', turnId: 't', toolName: 'fs.read', arguments: { path: `sheet${i}.csv` },
        decision: { effect: 'allow', ruleId: 'r', reason: 'read-only' }, approval: null, status: 'succeeded',
        result: { path: `sheet${i}.csv`, content: `${'budget line, '.repeat(40)}${'other row, '.repeat(20 * i)}` }, error: null, startedAt: NOW, endedAt: NOW + 5,
      });
    }
    for (let i = 0; i < 4; i++) memories.save({ id: `mem${i}`, content: i === 0 ? 'the offsite budget is 4000' : `unrelated fact ${i}`, sourceMessageId: null, conversationId: 'c1', createdAt: NOW, updatedAt: NOW });

    const hits = new SearchIndex(db).search('budget', { limit: 5, toolResults: true });
    expect(hits).toHaveLength(5);
    // Each kind's best hit is among the first three, the person's words first; then the next best of any kind.
    expect(hits.slice(0, 3).map((hit) => [hit.kind, hit.id])).toEqual([['message', 'best'], ['memory', 'mem0'], ['tool_result', 'call0']]);
    // Within a kind, bm25 still orders: the tool results' shortest (most about the word) before the longer ones.
    const results = hits.filter((hit) => hit.kind === 'tool_result').map((hit) => hit.id);
    expect(results).toEqual([...results].sort());
    db.close();
  });
});
