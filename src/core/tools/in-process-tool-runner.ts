import { AppError, toWireError } from '../../shared/errors';
import type { ToolOutcome, ToolRunner, ToolRunRequest } from './tool-runner';

export type ToolHandler = (args: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;

/**
 * Runs tools as functions in this process: for fixture tools in evaluation suites and tests, whose code is
 * the fixture itself. Honors cancellation: an aborted call settles at once as stopped.
 */
export class InProcessToolRunner implements ToolRunner {
  constructor(private readonly handlers: Record<string, ToolHandler>) {}

  async run(request: ToolRunRequest, options: { signal?: AbortSignal }): Promise<ToolOutcome> {
    const handler = this.handlers[request.toolName];
    if (!handler) return { ok: false, error: { code: 'TOOL_NOT_FOUND', message: `No fixture handler for ${request.toolName}.` } };
    const signal = options.signal ?? new AbortController().signal;
    try {
      const aborted = new Promise<never>((_, reject) => {
        const fail = () => reject(new AppError('TURN_STOPPED', `${request.toolName} was stopped before it finished.`));
        if (signal.aborted) fail();
        signal.addEventListener('abort', fail, { once: true });
      });
      return { ok: true, result: await Promise.race([handler(request.arguments, signal), aborted]) };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  }

  dispose(): void {}
}
