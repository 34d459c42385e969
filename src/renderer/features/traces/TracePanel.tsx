import { useId, useMemo, useState, type RefObject } from 'react';
import type { SpanRecord } from '../../../shared/domain/span';
import { formatDuration } from '../../lib/format';
import { buildTimeline, type SpanRow } from './span-tree';
import { useTraceSpans } from './useTraceSpans';

export interface TracePanelProps {
  traceId: string | null;
  /** True while the trace's turn is still running: the panel refreshes itself. */
  live: boolean;
  onClose: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** The right-hand panel: one turn's spans as an indented tree with a mini waterfall. Esc closes it. */
export function TracePanel({ traceId, live, onClose, headingRef }: TracePanelProps) {
  const { spans, loading, error } = useTraceSpans(traceId, live);
  const timeline = useMemo(() => buildTimeline(spans), [spans]);
  const [selected, setSelected] = useState<string | null>(null);
  const headingId = useId();

  return (
    <aside className="trace-panel" aria-label="Trace" data-testid="trace-panel">
      <div className="trace-header">
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          Trace
        </h2>
        {traceId && (
          <code className="trace-id" title={traceId}>
            {traceId.slice(0, 8)}
          </code>
        )}
        {live && <span className="live-chip">live</span>}
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close trace" title="Close trace (Esc)">
          ×
        </button>
      </div>
      {!traceId && <p className="muted trace-empty">Send a message, then choose Trace on a reply to see each step it took.</p>}
      {error && (
        <p className="trace-error" role="alert">
          {error}
        </p>
      )}
      {traceId && !error && spans.length === 0 && (
        <p className="muted trace-empty">{loading ? 'Loading spans…' : 'No spans recorded for this turn yet.'}</p>
      )}
      {timeline.rows.length > 0 && (
        <>
          <p className="trace-summary muted">
            {timeline.rows.length} spans · {formatDuration(timeline.totalMs)}
          </p>
          <ul className="span-list" aria-labelledby={headingId}>
            {timeline.rows.map((row) => (
              <SpanRowItem
                key={row.span.spanId}
                row={row}
                traceStart={timeline.startTime}
                expanded={selected === row.span.spanId}
                onToggle={() => setSelected((current) => (current === row.span.spanId ? null : row.span.spanId))}
              />
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

function SpanRowItem({
  row,
  traceStart,
  expanded,
  onToggle,
}: {
  row: SpanRow;
  traceStart: number;
  expanded: boolean;
  onToggle: () => void;
}) {
  const { span } = row;
  const detailsId = useId();
  return (
    <li data-testid="span-row" data-kind={span.kind} data-status={span.status} data-span-id={span.spanId}>
      <button
        type="button"
        className={`span-row${span.status === 'error' ? ' span-error' : ''}`}
        aria-expanded={expanded}
        aria-controls={expanded ? detailsId : undefined}
        onClick={onToggle}
      >
        <span className="span-label" style={{ paddingLeft: `${row.depth * 12}px` }}>
          <span className={`kind-chip kind-${span.kind}`}>{span.kind}</span>
          <span className="span-name">{span.name}</span>
        </span>
        <span className="span-duration">{formatDuration(row.durationMs)}</span>
        <span className={`span-status status-${span.status}`}>{span.status}</span>
        <span className="span-axis" aria-hidden="true">
          <span
            className={`span-bar kind-${span.kind}`}
            style={{ left: `${row.offsetPct}%`, width: `${Math.min(row.widthPct, 100 - row.offsetPct)}%` }}
          />
        </span>
      </button>
      {expanded && <SpanDetails id={detailsId} span={span} traceStart={traceStart} />}
    </li>
  );
}

function SpanDetails({ id, span, traceStart }: { id: string; span: SpanRecord; traceStart: number }) {
  const attributes = Object.entries(span.attributes);
  return (
    <div id={id} className="span-details" data-testid="span-details">
      <dl>
        <div className="attr">
          <dt>Starts at</dt>
          <dd>+{formatDuration(span.startTime - traceStart)}</dd>
        </div>
        <div className="attr">
          <dt>Duration</dt>
          <dd>{formatDuration(span.endTime - span.startTime)}</dd>
        </div>
        {span.statusMessage && (
          <div className="attr">
            <dt>Status message</dt>
            <dd className={span.status === 'error' ? 'error-text' : undefined}>{span.statusMessage}</dd>
          </div>
        )}
        {attributes.map(([key, value]) => (
          <div key={key} className="attr">
            <dt>{key}</dt>
            <dd>{String(value)}</dd>
          </div>
        ))}
      </dl>
      {attributes.length === 0 && <p className="muted">No attributes.</p>}
    </div>
  );
}
