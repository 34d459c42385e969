import type { Message } from '../../shared/domain/message';

/**
 * How much of a conversation's past the model is sent at each step, in estimated tokens. Whole history made a
 * long conversation unusable: past ~200k tokens every new turn spent its token budget on the first step, and a
 * local model's context (often 4–32k) overflowed long before that. 24k × a turn's 8 steps stays inside its 200k.
 */
export const DEFAULT_HISTORY_TOKENS = 24_000;

/**
 * The history that fits a model whose context is known: the context less the room kept for the reply (a quarter,
 * at most 4,096), the system prompt and tool definitions (`overheadTokens`), and a tenth spare, because the
 * estimate counts four characters a token and code or JSON runs nearer three. Never more than `limit`.
 */
export function historyBudget(contextTokens: number | null, overheadTokens: number, limit = DEFAULT_HISTORY_TOKENS): number {
  if (contextTokens === null) return limit;
  const reply = Math.min(4_096, Math.floor(contextTokens / 4));
  const spare = Math.floor(contextTokens / 10);
  return Math.max(0, Math.min(limit, contextTokens - reply - spare - overheadTokens));
}

/**
 * In a known context no one tool result may take more than a third of the room (at four characters a token, and
 * never under 1,000 characters), or a single file read would overflow a small local model: an error from
 * llama.cpp, or Ollama silently cutting the prompt from its start.
 */
export function maxToolResultChars(contextTokens: number, overheadTokens: number): number {
  return Math.max(1_000, Math.floor(historyBudget(contextTokens, overheadTokens, Number.POSITIVE_INFINITY) / 3) * 4);
}

export interface HistoryWindow {
  messages: Message[];
  /** Messages of earlier turns left out, oldest first, because they did not fit. */
  omitted: number;
  /** The estimated tokens of the messages kept. */
  tokens: number;
}

/**
 * The most recent whole turns whose estimated size fits in `maxTokens`. A turn is never cut in two (a tool
 * result without the call that asked for it, or the reverse, is refused by model APIs), nor a retried turn sent
 * without the one it retries; and the last turn, the one being answered, is always sent whole, even alone over
 * the limit. Messages are measured newest first (what a measure hands out, the newest get first).
 */
export function fitHistory(messages: readonly Message[], maxTokens: number, tokensOf: (message: Message) => number): HistoryWindow {
  let start = messages.length;
  let used = 0;
  while (start > 0) {
    const turnStart = startOfTurn(messages, start);
    let turnTokens = 0;
    for (let i = start - 1; i >= turnStart; i--) turnTokens += tokensOf(messages[i]!);
    if (start < messages.length && used + turnTokens > maxTokens) break;
    used += turnTokens;
    start = turnStart;
  }
  return { messages: messages.slice(start), omitted: start, tokens: used };
}

/**
 * Where the turn that ends just before `end` begins. A retried turn has no message of the person's own: it is
 * taken with the turns before it, back to the one that has.
 */
function startOfTurn(messages: readonly Message[], end: number): number {
  let start = end - 1;
  for (;;) {
    const turnId = messages[start]!.turnId;
    while (start > 0 && messages[start - 1]!.turnId === turnId) start--;
    if (start === 0 || messages[start]!.role === 'user') return start;
    start--;
  }
}

/**
 * `fitHistory` over a conversation read from its newest end, a page at a time (200 messages, then 4× more), so
 * that a model step costs what it sends, not the whole past. A page that does not reach the start may begin
 * inside a turn; that turn is set aside, and a page whose every whole turn fits is not enough: the next is read.
 */
export function fitNewestHistory(
  read: { newest: (count: number) => Message[]; total: () => number },
  maxTokens: number,
  tokensOf: (message: Message) => number,
  firstPage = 200,
): HistoryWindow {
  for (let count = firstPage; ; count *= 4) {
    const page = read.newest(count);
    if (page.length < count) return fitHistory(page, maxTokens, tokensOf);
    const firstTurn = page[0]!.turnId;
    const start = page.findIndex((m) => m.turnId !== firstTurn);
    if (start === -1) continue; // the whole page is one turn
    const fitted = fitHistory(page.slice(start), maxTokens, tokensOf);
    if (fitted.omitted > 0) return { ...fitted, omitted: read.total() - fitted.messages.length };
  }
}
