import type { SpanRecord } from '../../../shared/domain/span';
import { deniedOnly, stoppedOnly } from '../../../shared/span-failure';

export interface SpanRow {
  span: SpanRecord;
  depth: number;
  /** Bar position on the trace's time axis, in percent. */
  offsetPct: number;
  widthPct: number;
  durationMs: number;
  /** A failed step that only its turn's stop cut short (Stop, Esc): no one's error, and not drawn as one. */
  stopped: boolean;
  /** A failed step that records a refusal (a policy rule's deny, the person's): a decision, not drawn as an error. */
  denied: boolean;
}

/** A step's status as the trace shows it: a stop or a refusal is said as such, since neither is an error. */
export type ShownSpanStatus = 'running' | 'stopped' | 'denied' | SpanRecord['status'];

export function shownSpanStatus(row: Pick<SpanRow, 'span' | 'stopped' | 'denied'>): ShownSpanStatus {
  if (row.span.inProgress) return 'running';
  return row.stopped ? 'stopped' : row.denied ? 'denied' : row.span.status;
}

/** Its colour (the `status-*` class), as the traces list draws "stopped" and "1 denied": only an error is red. */
export function spanStatusTone(status: ShownSpanStatus): string {
  return status === 'stopped' ? 'cancelled' : status;
}

export interface SpanTimeline {
  rows: SpanRow[];
  startTime: number;
  totalMs: number;
}

/**
 * Orders spans as a tree (children under their parent, by start time) and places each on the trace's
 * time axis. A span whose parent is missing is shown as a root rather than dropped.
 */
export function buildTimeline(spans: readonly SpanRecord[]): SpanTimeline {
  if (spans.length === 0) return { rows: [], startTime: 0, totalMs: 0 };
  let startTime = Infinity;
  let endTime = -Infinity;
  for (const span of spans) {
    startTime = Math.min(startTime, span.startTime);
    endTime = Math.max(endTime, span.endTime, span.startTime);
  }
  const totalMs = Math.max(endTime - startTime, 0);

  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, SpanRecord[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId ? span.parentSpanId : null;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.startTime - b.startTime);

  const rows: SpanRow[] = [];
  const visited = new Set<string>();
  const visit = (span: SpanRecord, depth: number) => {
    if (visited.has(span.spanId)) return;
    visited.add(span.spanId);
    const durationMs = Math.max(span.endTime - span.startTime, 0);
    rows.push({
      span,
      depth,
      durationMs,
      offsetPct: totalMs > 0 ? ((span.startTime - startTime) / totalMs) * 100 : 0,
      widthPct: totalMs > 0 ? Math.max((durationMs / totalMs) * 100, 0.5) : 100,
      stopped: stoppedOnly(span, children.get(span.spanId) ?? []),
      denied: deniedOnly(span, children.get(span.spanId) ?? []),
    });
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  // Spans caught in a parent cycle have no root; show them rather than lose them.
  for (const span of spans) visit(span, 0);
  return { rows, startTime, totalMs };
}
