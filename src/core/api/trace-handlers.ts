import type { RequestHandlers } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';
import type { Telemetry } from '../telemetry/telemetry';
import { assertTraceAccess, OWNER_ACCESS, spansForViewer, type TraceAccess } from '../telemetry/trace-access';

type TraceChannels = 'traces.spans' | 'traces.list' | 'traces.export' | 'telemetry.status' | 'telemetry.configure';

/**
 * The trace and telemetry handlers. `access` says who is asking (the API-key feature resolves a token's scopes
 * per request); by default the caller is the local person, who holds every scope.
 */
export function createTraceHandlers(telemetry: Telemetry, access: () => TraceAccess = () => OWNER_ACCESS): Pick<RequestHandlers, TraceChannels> {
  const spansOf = (traceId: string, includeContent: boolean) => {
    assertTraceAccess(access(), { content: includeContent });
    return spansForViewer(telemetry.spansOf(traceId), includeContent);
  };
  return {
    'traces.spans': async ({ traceId, includeContent }) => spansOf(traceId, includeContent === true),
    'traces.list': async (filter) => {
      assertTraceAccess(access());
      return telemetry.listTraces(filter);
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
