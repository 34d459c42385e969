import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whether the caller of the request being handled is still there: the API hosts abort it when the HTTP request or
 * the WebSocket closes before the answer, so a long request (a tool call waiting for the person) ends with it
 * instead of asking the person about a call nobody waits for. Absent for in-process callers.
 */
const storage = new AsyncLocalStorage<AbortSignal>();

export function withRequestSignal<T>(signal: AbortSignal, fn: () => T): T {
  return storage.run(signal, fn);
}

export function requestSignal(): AbortSignal | undefined {
  return storage.getStore();
}
