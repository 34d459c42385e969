import type { z } from 'zod';
import { isRequestChannel } from '../../shared/api/channels';
import { requestContract, type RequestHandlers } from '../../shared/api/contract';
import type { InvokeResult } from '../../shared/api/wire';
import { AppError, ValidationError, toWireError } from '../../shared/errors';
import { toStorageError } from '../storage/storage-error';

/**
 * The single entry for every host: checks the channel, parses the input against the contract (the caller is
 * untrusted), runs the handler, and returns the outcome as data. Nothing reaches a handler unparsed.
 */
export async function dispatchRequest(handlers: RequestHandlers, channel: unknown, input: unknown): Promise<InvokeResult> {
  try {
    if (!isRequestChannel(channel)) {
      throw new AppError('UNKNOWN_CHANNEL', `"${String(channel).slice(0, 100)}" is not a Portcullis API channel.`);
    }
    const parsed = requestContract[channel].input.safeParse(input ?? {});
    if (!parsed.success) throw new ValidationError(`Invalid input for ${channel}: ${describeIssues(parsed.error)}`, { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) });
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, output: await handler(parsed.data) };
  } catch (thrown) {
    // A full disk or a failing one can stop any write, not only the stores that say so themselves: the person
    // reads what happened and what to do, not "something went wrong inside Portcullis".
    const error = toStorageError(thrown, 'this change');
    if (!(error instanceof AppError) || error !== thrown) console.error(`request ${String(channel)} failed`, thrown);
    return { ok: false, error: toWireError(error) };
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
