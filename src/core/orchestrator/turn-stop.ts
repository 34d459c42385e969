import { AppError } from '../../shared/errors';

/** The reason `TurnRunner.stopAll` gives: Portcullis closing, not the person's Stop. */
export const CLOSING = Symbol('closing');

/**
 * The error a turn ends with when it is stopped for `reason`: Portcullis closing, the error given (its data
 * folder is gone), or the person's Stop.
 */
export function stoppedBecause(reason: unknown): AppError {
  if (reason === CLOSING) return new AppError('TOOL_INTERRUPTED', 'Portcullis was closing, so this turn stopped. Nothing more will run in it.');
  return reason instanceof AppError ? reason : personStopped();
}

/** Ends the turn's work here once its signal (Stop, or its wall-time budget) has fired. */
export function throwIfAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw signal.reason instanceof AppError ? signal.reason : personStopped();
}

function personStopped(): AppError {
  return new AppError('TURN_STOPPED', 'Stopped. Nothing more will run in this turn.');
}
