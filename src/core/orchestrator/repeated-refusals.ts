import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { AppError } from '../../shared/errors';

/** Refusals the same call meets every time: the gateway's answer to the call itself, not to anything that may change. */
const FIXED_REFUSALS = new Set(['TOOL_NOT_FOUND', 'TOOL_HELD_BACK', 'TOOL_ARGUMENTS_INVALID']);

/** How many times a turn lets the model send one refused call before it ends. */
export const MOST_REPEATS = 3;

/**
 * Counts a turn's calls the gateway refused for what they are (a name no tool has, arguments that break the
 * schema). A small model often sends the refused call again unchanged until the step budget runs out, each step
 * taking a local model many seconds, and the turn then ended "Try a narrower request", which said nothing of why;
 * the same call refused the same way `MOST_REPEATS` times ends the turn saying so.
 */
export class RepeatedRefusals {
  private readonly counts = new Map<string, number>();

  /** Counts a step's calls; the error that ends the turn when one was now refused `MOST_REPEATS` times, else null. */
  count(records: readonly ToolCallRecord[]): AppError | null {
    for (const record of records) {
      if (!record.error || !FIXED_REFUSALS.has(record.error.code)) continue;
      const key = JSON.stringify([record.toolName, record.arguments, record.error.message]);
      const times = (this.counts.get(key) ?? 0) + 1;
      this.counts.set(key, times);
      if (times >= MOST_REPEATS) {
        return new AppError(
          'MODEL_OUTPUT_INVALID',
          `The model sent the same call of ${record.toolName} ${times} times and it was refused each time ("${record.error.message}"), so the turn was ended rather than spend its remaining steps on it. Retry, ask differently, or choose a model that calls tools more reliably (Settings → Model).`,
        );
      }
    }
    return null;
  }
}
