import type { SearchHit } from '../../shared/domain/memory';

/**
 * One list of hits from several indexes' own rankings (each best first, bm25: lower is better), fair to each. Raw
 * bm25 is not comparable across indexes: it weighs a word by how rare it is in its own index, so a word in most
 * messages scores next to nothing there while long tool results that repeat it score high in theirs, and merged
 * by raw score they took every place. Each hit is instead measured against the best of its own index (its score
 * over the best one's: 1 for the best, less for the others), so every kind's best hit comes first, and after them
 * whichever hits come closest to their own kind's best. Ties go to the better rank within its index, then to the
 * earlier list (the person's words before what a tool returned).
 */
export function mergeRankedHits(lists: readonly (readonly SearchHit[])[], limit: number): SearchHit[] {
  const ranked = lists.flatMap((hits, listOrder) => {
    const best = Math.min(...hits.map((hit) => hit.score));
    return hits.map((hit, rank) => ({ hit, rank, listOrder, relevance: best < 0 ? hit.score / best : 1 }));
  });
  ranked.sort((a, b) => b.relevance - a.relevance || a.rank - b.rank || a.listOrder - b.listOrder);
  return ranked.slice(0, limit).map(({ hit }) => hit);
}
