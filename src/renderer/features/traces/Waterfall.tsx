import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef } from 'react';
import { formatDuration } from '../../lib/format';
import { shownSpanStatus, type SpanTimeline } from './span-tree';

export const WATERFALL_ROW_HEIGHT = 26;
const TICKS = [0, 0.5, 1];
/** The scroll area grows with the trace up to this height, then scrolls. */
const MAX_HEIGHT = 420;

export interface WaterfallProps {
  timeline: SpanTimeline;
  selectedId: string | null;
  onSelect: (spanId: string) => void;
  labelledBy: string;
}

/**
 * A Jaeger-like waterfall: one row per span, nested by depth, with its bar on the trace's time axis, colored by
 * kind (errors red, a step the person's stop cut short grey, approval waits striped). Only the rows in view are in the DOM, so 100,000 spans scroll
 * as smoothly as ten. In a narrow panel each row puts its name on a line of its own, over a thin bar, so that
 * names stay readable (traces.css).
 */
export function Waterfall({ timeline, selectedId, onSelect, labelledBy }: WaterfallProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { rows } = timeline;
  // Stable callbacks: a new getItemKey on each render makes the virtualizer re-measure every row (O(n) per scroll).
  const getItemKey = useCallback((index: number) => rows[index]!.span.spanId, [rows]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const estimateSize = useCallback(() => WATERFALL_ROW_HEIGHT, []);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement, estimateSize, overscan: 12, getItemKey });

  useEffect(() => {
    performance.mark('portcullis:waterfall-rendered');
  }, [timeline]);

  /** Moves the selection by `delta` rows, or to the first or last row (±Infinity). */
  const move = (delta: number) => {
    const index = rows.findIndex((row) => row.span.spanId === selectedId);
    const next = Math.max(0, Math.min(rows.length - 1, index < 0 && Number.isFinite(delta) ? 0 : index + delta));
    const row = rows[next];
    if (!row) return;
    onSelect(row.span.spanId);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div className="waterfall" data-testid="waterfall">
      <div className="waterfall-axis" aria-hidden="true">
        <span className="waterfall-axis-label">Span</span>
        <span className="waterfall-ticks">
          {TICKS.map((tick) => (
            <span key={tick} className="waterfall-tick" style={{ left: `${tick * 100}%` }}>
              {formatDuration(timeline.totalMs * tick)}
            </span>
          ))}
        </span>
      </div>
      <div
        ref={scrollRef}
        className="waterfall-scroll"
        tabIndex={0}
        role="listbox"
        aria-labelledby={labelledBy}
        aria-activedescendant={selectedId ? `span-${selectedId}` : undefined}
        data-testid="waterfall-scroll"
        style={{ height: Math.min(virtualizer.getTotalSize() + 2, MAX_HEIGHT) }}
        onKeyDown={(event) => {
          // ↑/↓ a row, PageUp/PageDown the rows in view, Home/End the first and the last span (as a listbox does).
          const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? MAX_HEIGHT) / WATERFALL_ROW_HEIGHT) - 1);
          const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
          const delta = steps[event.key];
          if (delta === undefined) return;
          event.preventDefault();
          move(delta);
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const { span } = row;
            const selected = span.spanId === selectedId;
            return (
              <div
                key={item.key}
                id={`span-${span.spanId}`}
                role="option"
                aria-selected={selected}
                aria-setsize={rows.length}
                aria-posinset={item.index + 1}
                data-testid="span-row"
                data-kind={span.kind}
                data-status={shownSpanStatus(row)}
                data-span-id={span.spanId}
                className={`waterfall-row${selected ? ' selected' : ''}${row.stopped ? ' span-stopped' : row.denied ? ' span-denied' : span.status === 'error' ? ' span-error' : ''}${span.inProgress ? ' span-running' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: WATERFALL_ROW_HEIGHT }}
                onClick={() => onSelect(span.spanId)}
                title={`${span.name} · ${formatDuration(row.durationMs)}${span.inProgress ? ' so far, still running' : ''}`}
              >
                <span className="waterfall-label" style={{ paddingLeft: `${Math.min(row.depth, 24) * 10}px` }}>
                  <span className={`kind-chip kind-${span.kind}`}>{span.kind}</span>
                  <span className="span-name">{span.name}</span>
                </span>
                <span className="waterfall-track">
                  <span
                    className={`span-bar kind-${span.kind}`}
                    style={{ left: `${row.offsetPct}%`, width: `${Math.min(row.widthPct, 100 - row.offsetPct)}%` }}
                  />
                </span>
                <span className="waterfall-duration">
                  {formatDuration(row.durationMs)}
                  {span.inProgress && '…'}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
