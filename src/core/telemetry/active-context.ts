import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * The span of the running step, shared by every Tracer in the process so that free helpers such as
 * `currentTraceparent()` can read it without a tracer at hand. The span itself is stored rather than an
 * OpenTelemetry `Context` holding it, which saves a context copy per step; `activeContext()` builds the
 * `Context` for those who ask. Not registered as the global context manager: nothing outside Portcullis's
 * tracer is affected.
 */
const storage = new AsyncLocalStorage<Span>();

export function activeSpan(): Span | undefined {
  return storage.getStore();
}

export function activeContext(): Context {
  const span = storage.getStore();
  return span ? trace.setSpan(ROOT_CONTEXT, span) : ROOT_CONTEXT;
}

export function runInSpan<T>(span: Span, fn: () => T): T {
  return storage.run(span, fn);
}
