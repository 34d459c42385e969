import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from '../../src/main/quit-guard';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const quitEvent = () => ({ preventDefault: vi.fn() });

describe('createQuitGuard', () => {
  it('holds the quit until the runtime is disposed, then exits with 0', async () => {
    const disposal = deferred();
    const dispose = vi.fn(() => disposal.promise);
    const exit = vi.fn();
    const onWillQuit = createQuitGuard({ dispose, exit, onError: vi.fn() });

    const event = quitEvent();
    onWillQuit(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(dispose).toHaveBeenCalledOnce();
    await Promise.resolve();
    expect(exit).not.toHaveBeenCalled();

    disposal.resolve();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledExactlyOnceWith(0));
  });

  it('holds back later quits while disposing, and disposes only once', async () => {
    const disposal = deferred();
    const dispose = vi.fn(() => disposal.promise);
    const exit = vi.fn();
    const onWillQuit = createQuitGuard({ dispose, exit, onError: vi.fn() });

    onWillQuit(quitEvent());
    const second = quitEvent();
    onWillQuit(second);
    expect(second.preventDefault).toHaveBeenCalled();
    expect(dispose).toHaveBeenCalledOnce();

    disposal.resolve();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledOnce());
  });

  it('reports a failed disposal and still exits, with 1', async () => {
    const failure = new Error('database is locked');
    const exit = vi.fn();
    const onError = vi.fn();
    createQuitGuard({ dispose: () => Promise.reject(failure), exit, onError })(quitEvent());
    await vi.waitFor(() => expect(exit).toHaveBeenCalledExactlyOnceWith(1));
    expect(onError).toHaveBeenCalledExactlyOnceWith(failure);
  });
});
