import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatchAuthorized } from '../core/auth/authorized-dispatch';
import type { Principal } from '../core/auth/scopes';
import type { RequestHandlers } from '../shared/api/contract';
import type { InvokeResult } from '../shared/api/wire';
import { AppError, type ErrorCode } from '../shared/errors';
import { withRequestSignal } from '../core/api/request-signal';
import { readBody } from './read-body';


const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNKNOWN_CHANNEL: 404,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  TURN_IN_PROGRESS: 409,
  INTERNAL: 500,
  DATABASE_ERROR: 500,
};

export const API_PATH_PREFIX = '/api/';

/**
 * `POST /api/<channel>` with a JSON body: the same contract as the WebSocket, for scripts. Only JSON is
 * accepted (a cross-site form cannot send it without a preflight, which we never grant), and no CORS headers
 * are ever sent.
 */
export async function serveHttpApi(
  request: IncomingMessage,
  response: ServerResponse,
  handlers: RequestHandlers,
  principal: Principal,
  onForbidden: (channel: string) => void,
): Promise<void> {
  const channel = new URL(request.url ?? '/', 'http://x').pathname.slice(API_PATH_PREFIX.length);
  if (request.method !== 'POST') return send(response, 405, { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Use POST with a JSON body.' } }, { allow: 'POST' });
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    return send(response, 415, { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Send the input as JSON (Content-Type: application/json).' } });
  }
  let input: unknown;
  try {
    const body = await readBody(request);
    input = body.length === 0 ? {} : JSON.parse(body);
  } catch (error) {
    const message = error instanceof RangeError ? 'The body is larger than 1 MB.' : 'The body is not valid JSON.';
    return send(response, 400, { ok: false, error: { code: 'VALIDATION_FAILED', message } });
  }
  // A script that gives up (Ctrl+C, its own timeout) ends what it asked for: a call waiting for the person is withdrawn.
  const gone = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) gone.abort(new AppError('TOOL_CANCELLED', 'The caller closed its request before the answer came.'));
  });
  const result = await withRequestSignal(gone.signal, () => dispatchAuthorized(handlers, principal, channel, input));
  if (gone.signal.aborted) return;
  if (!result.ok && result.error.code === 'FORBIDDEN') onForbidden(channel);
  send(response, result.ok ? 200 : (STATUS_BY_CODE[result.error.code] ?? 422), result);
}

export function send(response: ServerResponse, status: number, body: InvokeResult | { ok: false; error: { code: string; message: string } }, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(JSON.stringify(body));
}
