import { AppError } from '../../shared/errors';

type Issue = { path?: readonly PropertyKey[]; message?: string; errors?: readonly (readonly Issue[])[] };

/**
 * A piece of a server's stream that is not in the OpenAI format (arguments sent as an object, not a JSON string; a
 * field of the wrong type): the SDK's "Type validation failed" error is the whole chunk and the whole schema check
 * as JSON, a wall of text in the chat. Said in one line: where the chunk breaks the format, and what to do.
 */
export function unreadableStreamPart(id: string, error: unknown): AppError | null {
  if ((error as Error | undefined)?.name !== 'AI_TypeValidationError') return null;
  const issue = firstIssue((error as { cause?: { issues?: readonly Issue[] } }).cause?.issues ?? [], []);
  const where = issue ? ` (${issue.path.join('.') || 'the chunk'}: ${issue.message})` : '';
  return new AppError(
    'MODEL_UNAVAILABLE',
    `The model ${id} answered in a form Portcullis cannot read: a piece of its server's stream is not in the OpenAI chat format${where}. Its server, or this version of it, does not follow the format: update it, or use another server for the model.`,
  );
}

/** The first problem the check names, inside a union the one of its first shape (a chunk; the other is an error). */
function firstIssue(issues: readonly Issue[], at: readonly PropertyKey[]): { path: PropertyKey[]; message: string } | null {
  const issue = issues[0];
  if (!issue) return null;
  const path = [...at, ...(issue.path ?? [])];
  const inner = issue.errors?.[0];
  if (inner?.length) return firstIssue(inner, path) ?? { path, message: issue.message ?? 'invalid' };
  return { path, message: issue.message ?? 'invalid' };
}
