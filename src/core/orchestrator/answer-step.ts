import { AppError } from '../../shared/errors';
import type { Message } from '../../shared/domain/message';
import type { ModelMessage } from '../model/model-provider';
import { askedAgainWords, callsNotRunNote, type CallsNotRun } from './step-calls';
import type { TurnBudget } from './turn-budget';

/**
 * The one step a turn gives its model once a budget allows no more tool calls: its calls so far have run, and it
 * is told (`note`, to that step alone) to answer from their results, so the person gets an answer rather than the
 * turn ending on results no one read. `askedAgain`: how the turn ends if it asks for calls even so.
 */
export interface AnswerStep {
  note: ModelMessage;
  askedAgain: AppError;
  /** Which budget it came after, kept with the answer so the chat says so under it. */
  budget: NonNullable<Message['answeredAtBudget']>;
}

/** After the calls of a step that fit the tool-call budget have run, and the rest did not. */
export function answerAfterCallsNotRun(notRun: CallsNotRun): AnswerStep {
  return { note: callsNotRunNote(notRun), askedAgain: new AppError('BUDGET_EXCEEDED', askedAgainWords(notRun.limit)), budget: { budget: 'tool_calls', limit: notRun.limit } };
}

/**
 * After the calls of the last step the step budget allows have run. Asked again, the turn ends as the step budget
 * ended it before this step existed (with why, when its calls kept failing).
 */
export function answerAfterStepsSpent(budget: TurnBudget, failing: string | undefined): AnswerStep {
  return {
    note: {
      role: 'user',
      fromPortcullis: true,
      content:
        `[From Portcullis, not the person: this turn has taken all ${budget.limits.steps} steps its budget allows, so no more tool calls can run in it. ` +
        'Answer now from the results you have, and say what was left undone.]',
    },
    askedAgain: budget.stepsExceeded(failing),
    budget: { budget: 'steps', limit: budget.limits.steps },
  };
}
