import { AsyncLocalStorage } from 'node:async_hooks';
import { hasScope, type Principal, type Scope } from './scopes';

/**
 * Who made the request being handled, without threading it through every handler's signature: the API hosts
 * run each call inside `runAs`, and a handler that serves more or less depending on scope (e.g. trace content
 * behind `traces:content`) asks `callerHasScope`.
 */
const storage = new AsyncLocalStorage<Principal>();

export function runAs<T>(principal: Principal, fn: () => T): T {
  return storage.run(principal, fn);
}

/** The principal of the current API call; undefined for in-process calls (the CLI, tests), which act as the person. */
export function currentPrincipal(): Principal | undefined {
  return storage.getStore();
}

/** True for in-process callers and for API callers holding `scope` (or admin). */
export function callerHasScope(scope: Scope): boolean {
  const principal = storage.getStore();
  return principal === undefined || hasScope(principal, scope);
}
