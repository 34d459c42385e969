import { AsyncLocalStorage } from 'node:async_hooks';
import { OWNER_ACCESS, type TraceAccess } from '../telemetry/trace-access';
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

/** The trace scopes of the current caller, as the trace handlers check them (admin and in-process: everything). */
export function callerTraceAccess(): TraceAccess {
  const principal = storage.getStore();
  if (principal === undefined || principal.scopes.includes('admin')) return OWNER_ACCESS;
  return { scopes: new Set(principal.scopes) };
}
