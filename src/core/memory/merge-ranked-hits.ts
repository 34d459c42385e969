import type { SearchHit } from '../../shared/domain/memory';

/**
 * One list of hits from several indexes' own rankings (each best first, bm25: lower is better), fair to each. Raw
 * bm25 is not comparable across indexes: it weighs a word by how rare it is in its own index, so a word in most
 * messages scores next to nothing there while long tool results that repeat it score high in theirs, and merged
 * by raw score they took every place. The lists are taken in turns instead: every kind's best hit first, then
 * every kind's second, and so on, so a dozen near-alike results cannot bury the person's words either. Within a
 * turn, the hit closer to the best of its own kind comes first (its score over that best one's), then the earlier
 * list (the person's words before what a tool returned).
 */
export function mergeRankedHits(lists: readonly (readonly SearchHit[])[], limit: number): SearchHit[] {
  const ranked = lists.flatMap((hits, listOrder) => {
    const best = Math.min(...hits.map((hit) => hit.score));
    return hits.map((hit, rank) => ({ hit, rank, listOrder, nearBest: best < 0 ? hit.score / best : 1 }));
  });
  ranked.sort((a, b) => a.rank - b.rank || b.nearBest - a.nearBest || a.listOrder - b.listOrder);
  return ranked.slice(0, limit).map(({ hit }) => hit);
}
