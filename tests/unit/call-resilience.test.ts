import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { isTransportFailure } from '../../src/core/mcp/mcp-tool-runner';
import { CallCancelledError, CallResilience, CallTimedOutForCallerError } from '../../src/core/tools/call-resilience';

function resilience(overrides: { maxConcurrent?: number; maxQueued?: number } = {}) {
  return new CallResilience({
    target: 'the test server',
    maxConcurrent: overrides.maxConcurrent ?? 4,
    maxQueued: overrides.maxQueued ?? 4,
    maxRetries: 2,
    breakerThreshold: 3,
    breakerCooldownMs: 1_000,
    isTransportFailure: () => false,
    isRetryable: () => false,
  });
}

const never = () => new Promise<never>(() => undefined);

describe('CallResilience hard wall', () => {
  it('stops a call that ignores its signal at the deadline, with TOOL_TIMEOUT, and aborts the signal it gave', async () => {
    let given: AbortSignal | undefined;
    const started = Date.now();
    const outcome = resilience().execute((signal) => ((given = signal), never()), { deadlineMs: 50, repeatable: false, what: 'slow.tool' });
    await expect(outcome).rejects.toMatchObject({ code: 'TOOL_TIMEOUT', message: 'slow.tool did not finish within its total limit of 50 ms and was stopped.' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(given?.aborted).toBe(true);
  });

  it('counts the time a call waits in the bulkhead queue against its deadline', async () => {
    const target = resilience({ maxConcurrent: 1, maxQueued: 1 });
    const busy = target.execute(never, { deadlineMs: 200, repeatable: false, what: 'first' });
    busy.catch(() => undefined);
    let ran = false;
    const queued = target.execute(async () => (ran = true), { deadlineMs: 50, repeatable: true, what: 'queued' });
    await expect(queued).rejects.toBeInstanceOf(AppError);
    await expect(queued).rejects.toMatchObject({ code: 'TOOL_TIMEOUT' });
    expect(ran).toBe(false);
    await expect(busy).rejects.toMatchObject({ code: 'TOOL_TIMEOUT' });
  });

  it('returns a result that comes in time and leaves the signal alone', async () => {
    let given: AbortSignal | undefined;
    const value = await resilience().execute(async (signal) => ((given = signal), 42), { deadlineMs: 30, repeatable: true, what: 'fast' });
    expect(value).toBe(42);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(given?.aborted).toBe(false);
  });
});

describe('CallResilience breaker', () => {
  it('counts a call once however often it was retried, and refuses at once while open', async () => {
    const target = new CallResilience({
      target: 'the test server', maxConcurrent: 4, maxQueued: 4, maxRetries: 2, breakerThreshold: 2, breakerCooldownMs: 60_000,
      isTransportFailure: () => true,
      isRetryable: () => true,
    });
    const attempts: number[] = [];
    const failing = (_signal: AbortSignal, attempt: number) => (attempts.push(attempt), Promise.reject(new Error('dropped')));
    await expect(target.execute(failing, { deadlineMs: 5_000, repeatable: true, what: 'first' })).rejects.toThrow('dropped');
    expect(attempts).toEqual([0, 1, 2]); // retried twice, each attempt told which it is
    expect(target.breakerState).toBe('closed'); // one failed call, not three
    expect(target.refusal()).toBeUndefined();
    await expect(target.execute(failing, { deadlineMs: 5_000, repeatable: true, what: 'second' })).rejects.toThrow('dropped');
    expect(target.breakerState).toBe('open');
    expect(target.refusal()).toMatchObject({ code: 'TOOL_CIRCUIT_OPEN', message: expect.stringMatching(/^Calls to the test server are paused after 2 failed calls in a row; the next one is tried in about 60 s\./) });
    expect(target.breakerRetryAt).toBeGreaterThan(Date.now() + 59_000);
    await expect(target.execute(failing, { deadlineMs: 5_000, repeatable: true, what: 'third' })).rejects.toMatchObject({ code: 'TOOL_CIRCUIT_OPEN' });
    expect(attempts).toHaveLength(6); // the third never ran
  });
});

describe('a call its caller stopped', () => {
  it('is not held against the server, whether cancelled or past the time its caller allowed; a server too slow for its own limit is', () => {
    const timedOut = new CallTimedOutForCallerError('slow.tool', '1.5 s');
    expect(timedOut).toMatchObject({ code: 'TOOL_TIMEOUT', message: 'slow.tool timed out after 1.5 s, the time its caller allowed (timeoutMs); the server was told to stop.' });
    const cancelled = new CallCancelledError('slow.tool', 'The caller closed its connection.');
    expect(cancelled).toMatchObject({ code: 'TOOL_CANCELLED', message: 'slow.tool was cancelled; the server was told to stop. The caller closed its connection.' });
    expect(isTransportFailure(timedOut)).toBe(false);
    expect(isTransportFailure(cancelled)).toBe(false);
    expect(isTransportFailure(new AppError('TOOL_TIMEOUT', 'slow.tool did not answer within 30 s.'))).toBe(true);
  });
});
