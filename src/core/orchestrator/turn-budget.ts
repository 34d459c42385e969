import { AppError } from '../../shared/errors';

/** The limits of one turn. Whatever runs out first ends the turn with a message saying which. */
export interface TurnBudgetLimits {
  /** Model calls per turn. */
  steps: number;
  /** Tool calls per turn, counted as the model requests them. */
  toolCalls: number;
  /** Wall time of the whole turn, approvals included. */
  wallTimeMs: number;
  /** Input + output tokens as the model reports them (estimated from characters when it does not). */
  tokens: number;
}

export const defaultTurnBudget: TurnBudgetLimits = { steps: 8, toolCalls: 16, wallTimeMs: 10 * 60_000, tokens: 200_000 };

/** Counts what a turn has spent and says, in words, when it has spent too much. */
export class TurnBudget {
  steps = 0;
  toolCalls = 0;
  tokens = 0;

  constructor(readonly limits: TurnBudgetLimits) {}

  /** Whether every step of the budget has been taken. */
  stepsSpent(): boolean {
    return this.steps >= this.limits.steps;
  }

  /** `failing`: the refusal the last step's calls ended on, when every one of them failed. */
  startStep(failing?: string): void {
    if (this.stepsSpent()) throw this.stepsExceeded(failing);
    this.steps++;
  }

  /** The end of a turn whose steps are spent without an answer; `failing` as for `startStep`. */
  stepsExceeded(failing?: string): AppError {
    // Steps spent on calls that kept failing are the model's trouble with the tools, not a request too wide.
    const advice = failing
      ? ` The model's calls kept failing (the last: "${failing}"). Retry, ask differently, or choose a model that calls tools more reliably (Settings → Model).`
      : ' Try a narrower request.';
    return new AppError('BUDGET_EXCEEDED', `The turn ended after ${this.limits.steps} steps without a final answer (the step budget).${advice}`);
  }

  /** How many of `requested` calls still fit; the rest are not run. */
  admitToolCalls(requested: number): number {
    const admitted = Math.max(0, Math.min(requested, this.limits.toolCalls - this.toolCalls));
    this.toolCalls += admitted;
    return admitted;
  }

  addTokens(count: number): void {
    this.tokens += count;
    if (this.tokens > this.limits.tokens) {
      throw new AppError('BUDGET_EXCEEDED', `The turn ended: it used ${this.tokens} tokens, over its budget of ${this.limits.tokens}. Start a new message to continue.`);
    }
  }

  wallTimeExceeded(): AppError {
    return new AppError('BUDGET_EXCEEDED', `The turn ended: it ran for its whole time budget of ${Math.round(this.limits.wallTimeMs / 1000)} s. Running tools were stopped.`);
  }
}

/** A rough token count for models that report none: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
