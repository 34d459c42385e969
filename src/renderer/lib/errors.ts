import { AppError } from '../../shared/errors';

/** A sentence a person can act on, from anything thrown by the API client. */
export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof Error && error.message) return `Something went wrong: ${error.message}. Please try again.`;
  return 'Something went wrong. Please try again.';
}
