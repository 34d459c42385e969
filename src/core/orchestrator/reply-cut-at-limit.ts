import { AppError } from '../../shared/errors';

/**
 * The model's reply ended at its length limit (finish reason "length"): a small local server's default is often
 * short. Its text was the whole answer in the chat and a call cut mid-arguments was refused as "not a JSON object",
 * which the model sent again only to be cut again; the turn ends instead, the text kept as cut short.
 */
export class ReplyCutAtLimit extends AppError {
  /** `stillThinking`: a reasoning model reached the limit before it began its answer (its thinking took it all). */
  constructor(cutCall: string | null, stillThinking = false) {
    super(
      'BUDGET_EXCEEDED',
      `${cutCall ? `The model's reply reached its length limit while it wrote its call of ${cutCall}, so the call was cut off and did not run.` : stillThinking ? 'The model\'s reply reached its length limit while it was still thinking, before it began its answer.' : 'The model\'s reply reached its length limit and was cut off there.'}` +
        ' The model or its server limits how long one reply may be (Ollama: num_predict; llama.cpp: --n-predict; LM Studio: the response length limit): raise it, or ask for something shorter, and retry.',
    );
  }
}
