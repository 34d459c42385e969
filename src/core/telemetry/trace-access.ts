import type { SpanRecord } from '../../shared/domain/span';
import { isContentAttribute } from '../../shared/domain/trace';
import { AppError } from '../../shared/errors';

/** API token scopes for traces (issued by the API-key feature): see traces, and see their captured content. */
export const TRACE_SCOPES = { read: 'traces:read', content: 'traces:content' } as const;

/**
 * Who is asking, as far as traces are concerned. The local person (Electron window, the token-holding headless
 * UI) holds every scope; an API key holds the scopes it was issued with. Hosts resolve this per request.
 */
export interface TraceAccess {
  scopes: ReadonlySet<string> | 'all';
}

export const OWNER_ACCESS: TraceAccess = { scopes: 'all' };

export function hasTraceScope(access: TraceAccess, scope: string): boolean {
  return access.scopes === 'all' || access.scopes.has(scope);
}

/** Throws UNAUTHORIZED unless the caller may read traces (and, when asked, their content). */
export function assertTraceAccess(access: TraceAccess, options: { content?: boolean } = {}): void {
  if (!hasTraceScope(access, TRACE_SCOPES.read)) {
    throw new AppError('UNAUTHORIZED', `This API key lacks the "${TRACE_SCOPES.read}" scope. Issue a key with it to read traces.`);
  }
  if (options.content && !hasTraceScope(access, TRACE_SCOPES.content)) {
    throw new AppError('UNAUTHORIZED', `This API key lacks the "${TRACE_SCOPES.content}" scope. Issue a key with it to see captured content.`);
  }
}

/** The spans as this caller may see them: content attributes are removed unless content was asked for and allowed. */
export function spansForViewer(spans: readonly SpanRecord[], includeContent: boolean): SpanRecord[] {
  if (includeContent) return [...spans];
  return spans.map((span) => {
    const keys = Object.keys(span.attributes);
    if (!keys.some(isContentAttribute)) return span;
    const attributes = Object.fromEntries(Object.entries(span.attributes).filter(([key]) => !isContentAttribute(key)));
    return { ...span, attributes };
  });
}
