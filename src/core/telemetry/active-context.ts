import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/**
 * The OpenTelemetry context of the running step, shared by every Tracer in the process so that free helpers
 * such as `currentTraceparent()` can read it without a tracer at hand. Not registered as the global context
 * manager: nothing outside Portcullis's tracer is affected.
 */
const storage = new AsyncLocalStorage<Context>();

export function activeContext(): Context {
  return storage.getStore() ?? ROOT_CONTEXT;
}

export function runInContext<T>(context: Context, fn: () => T): T {
  return storage.run(context, fn);
}
