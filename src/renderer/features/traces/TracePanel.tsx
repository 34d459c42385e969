import { useEffect, useId, useMemo, useRef, useState, type RefObject } from 'react';
import type { Conversation } from '../../../shared/domain/conversation';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { escapeCloses } from '../../lib/escape-closes';
import { focusSoon } from '../../lib/focus-soon';
import { formatDuration } from '../../lib/format';
import { downloadJson } from '../../lib/download';
import { buildTimeline } from './span-tree';
import { SpanDetails } from './SpanDetails';
import { TraceList } from './TraceList';
import './traces.css';
import { useTelemetryStatus } from './useTelemetryStatus';
import { useTraceSpans } from './useTraceSpans';
import { Waterfall } from './Waterfall';

export interface TracePanelProps {
  traceId: string | null;
  /** True while the trace's turn is still running: the panel refreshes itself. */
  live: boolean;
  /** One turn's waterfall, or the list of every trace (the sidebar's Traces opens the list). */
  view: TraceView;
  onViewChange: (view: TraceView) => void;
  onClose: () => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

export type TraceView = 'timeline' | 'list';

/** Trace ids begin with the time (see newTraceId): the random end tells two traces of the same minute apart. */
const shortTraceId = (traceId: string): string => traceId.slice(-8);

/**
 * The right-hand panel: one turn's waterfall with span details, or the list of all traces. Captured content
 * stays hidden until the person turns the content view on. Esc closes the panel.
 */
export function TracePanel({ traceId, live, view, onViewChange: setView, onClose, headingRef }: TracePanelProps) {
  const api = useApi();
  const [chosenTraceId, setChosenTraceId] = useState<string | null>(null);
  const [showContent, setShowContent] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [conversations, setConversations] = useState<readonly Conversation[]>([]);
  const headingId = useId();
  const { status } = useTelemetryStatus();

  // A trace opened from the chat (or a new turn's) replaces one chosen from the list.
  const previousTraceId = useRef(traceId);
  useEffect(() => {
    if (previousTraceId.current === traceId) return;
    previousTraceId.current = traceId;
    setChosenTraceId(null);
    setView('timeline');
  }, [traceId, setView]);
  const shownId = chosenTraceId ?? traceId;
  const { spans, loading, error } = useTraceSpans(shownId, live && chosenTraceId === null, showContent);
  const timeline = useMemo(() => buildTimeline(spans), [spans]);
  useEffect(() => setSelected(null), [shownId]);
  const selectedRow = selected ? timeline.rows.find((row) => row.span.spanId === selected) : undefined;

  useEffect(() => {
    if (view !== 'list') return;
    api.invoke('conversations.list', {}).then(setConversations, () => undefined);
  }, [api, view]);

  const exportTrace = async () => {
    if (!shownId) return;
    setExportError(null);
    try {
      const otlp = await api.invoke('traces.export', showContent ? { traceId: shownId, includeContent: true } : { traceId: shownId });
      downloadJson(`trace-${shownId}.otlp.json`, otlp);
    } catch (err) {
      setExportError(`Could not export this trace. ${describeError(err)}`);
    }
  };

  const dropped = status ? status.droppedSpans.store + status.droppedSpans.otlp : 0;

  // The sidebar's Traces opens the list under the same name; one turn's timeline is a trace.
  const title = view === 'list' ? 'Traces' : 'Trace';
  return (
    <aside className="trace-panel" aria-label={title} data-testid="trace-panel" {...escapeCloses(onClose)}>
      <div className="trace-header">
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
        {shownId && view === 'timeline' && (
          <code className="trace-id" title={shownId}>
            {shortTraceId(shownId)}
          </code>
        )}
        {live && chosenTraceId === null && <span className="live-chip">live</span>}
        {dropped > 0 && (
          <span
            className="dropped-chip"
            role="status"
            data-testid="dropped-spans"
            title={`Spans lost: ${status!.droppedSpans.store} not stored, ${status!.droppedSpans.otlp} not sent to the collector. ${status!.otlp.lastError ?? ''}`}
          >
            {dropped} spans dropped
          </span>
        )}
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close trace" title="Close trace (Esc)">
          ×
        </button>
      </div>
      <div className="trace-toolbar" role="group" aria-label="Trace view">
        <button type="button" className="toggle" aria-pressed={view === 'timeline'} onClick={() => setView('timeline')}>
          Timeline
        </button>
        <button type="button" className="toggle" aria-pressed={view === 'list'} onClick={() => setView('list')}>
          All traces
        </button>
        <label className="checkbox" title="Captured arguments, results and text (needs the traces:content scope)">
          <input type="checkbox" checked={showContent} onChange={(e) => setShowContent(e.target.checked)} /> Show content
        </label>
        {view === 'timeline' && shownId && (
          <button type="button" className="toggle" onClick={() => void exportTrace()} data-testid="export-trace">
            Export OTLP JSON
          </button>
        )}
      </div>
      {exportError && (
        <p className="trace-error" role="alert">
          {exportError}
        </p>
      )}
      {view === 'list' ? (
        <TraceList
          conversations={conversations}
          onOpen={(id) => {
            setChosenTraceId(id);
            setView('timeline');
            // The chosen row goes with the list: the keyboard starts again at the top of the panel.
            focusSoon(headingRef);
          }}
        />
      ) : (
        <>
          {!shownId && <p className="muted trace-empty">Send a message, then choose Trace on a reply to see each step it took.</p>}
          {error && (
            <p className="trace-error" role="alert">
              {error}
            </p>
          )}
          {shownId && !error && spans.length === 0 && (
            <p className="muted trace-empty">{loading ? 'Loading spans…' : 'No spans recorded for this turn yet.'}</p>
          )}
          {timeline.rows.length > 0 && (
            <>
              <p className="trace-summary muted" data-testid="trace-summary-line">
                {timeline.rows.length} spans · {formatDuration(timeline.totalMs)}
              </p>
              <Waterfall timeline={timeline} selectedId={selected} onSelect={setSelected} labelledBy={headingId} />
              {selectedRow ? (
                <SpanDetails row={selectedRow} traceStart={timeline.startTime} showContent={showContent} captureMode={status?.captureMode} />
              ) : (
                <p className="muted trace-empty">Choose a span to see its details.</p>
              )}
            </>
          )}
        </>
      )}
    </aside>
  );
}
