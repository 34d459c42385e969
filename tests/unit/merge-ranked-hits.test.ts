import { describe, expect, it } from 'vitest';
import { mergeRankedHits } from '../../src/core/memory/merge-ranked-hits';
import type { SearchHit } from '../../src/shared/domain/memory';

const hit = (kind: SearchHit['kind'], id: string, score: number): SearchHit => ({
  kind, id, conversationId: null, conversationTitle: null, role: null, snippet: id, marks: [], score, createdAt: 0,
});

describe('merging the indexes\' rankings', () => {
  it("measures each hit against its own kind's best, not by raw bm25 across indexes", () => {
    // Raw scores a thousand times apart, as a word common in the messages and repeated in long results gives.
    const messages = [hit('message', 'm1', -0.002), hit('message', 'm2', -0.0019), hit('message', 'm3', -0.0005)];
    const memories = [hit('memory', 'y1', -0.8)];
    const results = [hit('tool_result', 't1', -9), hit('tool_result', 't2', -8), hit('tool_result', 't3', -2)];
    expect(mergeRankedHits([messages, memories, results], 10).map((h) => h.id)).toEqual(['m1', 'y1', 't1', 'm2', 't2', 'm3', 't3']);
    expect(mergeRankedHits([messages, memories, results], 4).map((h) => h.id)).toEqual(['m1', 'y1', 't1', 'm2']);
  });

  it('takes the lists in turns, so near-alike tool results cannot bury the person\'s second message', () => {
    const messages = [hit('message', 'm1', -2), hit('message', 'm2', -1)];
    const results = [hit('tool_result', 't1', -9), hit('tool_result', 't2', -8.9), hit('tool_result', 't3', -8.8), hit('tool_result', 't4', -8.7)];
    expect(mergeRankedHits([messages, [], results], 10).map((h) => h.id)).toEqual(['m1', 't1', 't2', 'm2', 't3', 't4']);
  });

  it('keeps each list in its own order, and takes an empty one or a lone list as it is', () => {
    const results = [hit('tool_result', 't1', -3), hit('tool_result', 't2', -3), hit('tool_result', 't3', -1)];
    expect(mergeRankedHits([[], [], results], 10).map((h) => h.id)).toEqual(['t1', 't2', 't3']);
    expect(mergeRankedHits([[], [], []], 10)).toEqual([]);
  });
});
