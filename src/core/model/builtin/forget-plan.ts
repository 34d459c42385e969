import { unfenceUntrusted } from '../../taint/untrusted-fence';
import type { ModelMessage } from '../model-provider';

type ToolMessage = Extract<ModelMessage, { role: 'tool' }>;

/** The intent whose plan searches memories first, so that its second step can forget the one it finds. */
export const FORGET_INTENT = 'memory.forget';

/** memory.search's default limit: a full page may not be every memory that matches. */
const SEARCH_LIMIT = 10;

export type ForgetStep = { name: 'memory.forget'; arguments: { id: string } } | string;

interface MemoryHit {
  id: string;
  snippet: string;
}

/**
 * What to do with a forget request's memory.search result: forget the memory when exactly one matches (or exactly
 * one reads as the words asked about, "I like tea" beside "I like green tea"), otherwise say which match and how to
 * pick one, or that none does. The forget still asks the person, naming the memory. Undefined for a search that
 * failed or was refused: that is described as it is.
 */
export function planForget(subject: string, search: ToolMessage): ForgetStep | undefined {
  if (search.isError) return undefined;
  const hits = memoryHits(search.content);
  if (hits === undefined) return undefined;
  if (hits.length === 0) return `I don't remember anything about "${subject}", so there is nothing to forget.`;
  const exact = hits.filter((hit) => sameWords(hit.snippet, subject));
  const chosen = hits.length === 1 ? hits[0] : exact.length === 1 ? exact[0] : undefined;
  if (chosen) return { name: 'memory.forget', arguments: { id: chosen.id } };
  const list = [
    `${hits.length} memories match "${subject}"${hits.length >= SEARCH_LIMIT ? ' (there may be more)' : ''}, so I have not forgotten any of them:`,
    ...hits.map((hit) => `- ${hit.snippet}: \`memory.forget ${JSON.stringify({ id: hit.id })}\``),
  ].join('\n');
  // A paragraph of its own: right after the list, Markdown would read it as the last item's continuation.
  return `${list}\n\nTo forget one, send its line's memory.forget call as your message, or ask again with more of its words ("forget that …").`;
}

/** The memories a memory.search result holds (its message hits, with scope "all", are not memories to forget). */
function memoryHits(content: string): MemoryHit[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(unfenceUntrusted(content) ?? content);
  } catch {
    return undefined;
  }
  const hits = (value as { hits?: unknown } | null)?.hits;
  if (!Array.isArray(hits)) return undefined;
  return hits.filter(
    (hit): hit is MemoryHit & { kind: string } => typeof hit === 'object' && hit !== null && hit.kind === 'memory' && typeof hit.id === 'string' && typeof hit.snippet === 'string',
  );
}

/** The same words, whatever the case, punctuation or leading "the"/"my" (the subject was asked for without it). */
function sameWords(a: string, b: string): boolean {
  const words = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .replace(/^(?:the|a|an|my|our|your) /, '');
  return words(a) === words(b);
}
