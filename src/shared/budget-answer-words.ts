import type { Message } from './domain/message';

/**
 * Said under an answer its turn's budget asked for: the model stopped calling tools because it was told to, not
 * because it was done, which its own words may not say.
 */
export function budgetAnswerWords(spent: NonNullable<Message['answeredAtBudget']>): string {
  return spent.budget === 'steps'
    ? `This turn took all ${spent.limit} steps its budget allows, so the model was asked to answer from what it had.`
    : `The model asked for more tool calls than this turn's budget of ${spent.limit} allows: those past it did not run, and it was asked to answer from what it had.`;
}
