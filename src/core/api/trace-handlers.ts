import type { RequestHandlers } from '../../shared/api/contract';
import type { TraceSummary } from '../../shared/domain/trace';
import { AppError } from '../../shared/errors';
import type { Telemetry } from '../telemetry/telemetry';
import { assertTraceAccess, hasTraceScope, OWNER_ACCESS, spansForViewer, TRACE_SCOPES, type TraceAccess } from '../telemetry/trace-access';

type TraceChannels = 'traces.spans' | 'traces.list' | 'traces.export' | 'telemetry.status' | 'telemetry.configure';

/** The most of a turn's request a traces list row carries: enough to tell the turns of one conversation apart. */
const REQUEST_CHARS = 160;

/** What a trace's turn was asked (as stored, secrets masked), or null: `MessageStore.requestOfTrace`. */
export type RequestOfTrace = (conversationId: string, traceId: string, start: number, end: number) => string | null;

/**
 * The trace and telemetry handlers. `access` says who is asking (the API-key feature resolves a token's scopes
 * per request); by default the caller is the local person, who holds every scope. `requestOf` gives each listed
 * turn the start of what it was asked, to a caller who may see content (the person's words are content).
 */
export function createTraceHandlers(telemetry: Telemetry, access: () => TraceAccess = () => OWNER_ACCESS, requestOf?: RequestOfTrace): Pick<RequestHandlers, TraceChannels> {
  const spansOf = (traceId: string, includeContent: boolean) => {
    assertTraceAccess(access(), { content: includeContent });
    return spansForViewer(telemetry.spansOf(traceId), includeContent);
  };
  return {
    'traces.spans': async ({ traceId, includeContent }) => spansOf(traceId, includeContent === true),
    'traces.list': async (filter) => {
      const caller = access();
      assertTraceAccess(caller);
      const traces = telemetry.listTraces(filter);
      if (!requestOf || !hasTraceScope(caller, TRACE_SCOPES.content)) return traces;
      return traces.map((trace) => withRequest(trace, requestOf));
    },
    'traces.export': async ({ traceId, includeContent }) => {
      // What is stored: a step still under way has no end to export yet.
      const spans = spansOf(traceId, includeContent === true).filter((span) => !span.inProgress);
      if (spans.length === 0) throw new AppError('NOT_FOUND', `No spans are stored for trace ${traceId}. It may have passed the retention period.`);
      return telemetry.exportTrace(spans);
    },
    'telemetry.status': async () => {
      assertTraceAccess(access());
      return telemetry.status();
    },
    'telemetry.configure': async (change) => {
      assertTraceAccess(access(), { content: true });
      return telemetry.configure(change);
    },
  };
}

function withRequest(trace: TraceSummary, requestOf: RequestOfTrace): TraceSummary {
  const text = trace.conversationId ? requestOf(trace.conversationId, trace.traceId, trace.startTime, trace.endTime) : null;
  if (text === null) return trace;
  const line = text.replace(/\s+/g, ' ').trim();
  return { ...trace, request: line.length > REQUEST_CHARS ? `${line.slice(0, REQUEST_CHARS - 1)}…` : line };
}
