import { describe, expect, it } from 'vitest';
import { budgetAnswerWords } from '../../src/shared/budget-answer-words';

describe('the note under an answer a budget asked for', () => {
  it('says the steps were all taken', () => {
    expect(budgetAnswerWords({ budget: 'steps', limit: 8 })).toBe('This turn took all 8 steps its budget allows, so the model was asked to answer from what it had.');
  });

  it('says the tool calls past the budget did not run', () => {
    expect(budgetAnswerWords({ budget: 'tool_calls', limit: 20 })).toBe("The model asked for more tool calls than this turn's budget of 20 allows: those past it did not run, and it was asked to answer from what it had.");
  });
});
