import { useId, useState } from 'react';
import type { Conversation } from '../../../shared/domain/conversation';
import { counted } from '../../../shared/counted';
import type { TraceFilter, TraceSummary } from '../../../shared/domain/trace';
import { formatDuration } from '../../lib/format';
import { useTraceList } from './useTraceList';

const TIME_RANGES: { label: string; ms: number | null }[] = [
  { label: 'Any time', ms: null },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
];

/**
 * Every stored trace, filterable by conversation, tool, how the turn ended, failed steps and time; choosing one
 * opens its timeline. "Turn ended" judges the root span alone; "with a failed step" any span under it (a tool
 * error the model recovered from ends the turn ok), so the two say which one they are. A turn the person stopped
 * reads "stopped", calmly: the steps its stop cut short are not counted as errors; nor are the calls a rule or the
 * person denied ("1 denied"), which are decisions.
 */
export function TraceList({ conversations, onOpen }: { conversations: readonly Conversation[]; onOpen: (traceId: string) => void }) {
  const [conversationId, setConversationId] = useState('');
  const [toolName, setToolName] = useState('');
  const [status, setStatus] = useState<'' | TraceSummary['status']>('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [range, setRange] = useState(0);
  const ids = { conversation: useId(), tool: useId(), status: useId(), range: useId() };
  const since = TIME_RANGES[range]!.ms;
  const filter: TraceFilter = {
    ...(conversationId ? { conversationId } : {}),
    ...(toolName.trim() ? { toolName: toolName.trim() } : {}),
    ...(status ? { status } : {}),
    ...(errorsOnly ? { errorsOnly } : {}),
    // Rounded to the minute so the filter (and the request) stays stable between renders.
    ...(since !== null ? { since: Math.floor((Date.now() - since) / 60_000) * 60_000 } : {}),
  };
  const { traces, error } = useTraceList(filter, true);
  const titles = new Map(conversations.map((c) => [c.id, c.title]));

  return (
    <div className="trace-list" data-testid="trace-list">
      <div className="trace-filters">
        <label htmlFor={ids.conversation}>Conversation</label>
        <select id={ids.conversation} value={conversationId} onChange={(e) => setConversationId(e.target.value)}>
          <option value="">All</option>
          {conversations.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
        <label htmlFor={ids.tool}>Tool</label>
        <input id={ids.tool} value={toolName} placeholder="e.g. fs.write, fs.* or memory" onChange={(e) => setToolName(e.target.value)} />
        <label htmlFor={ids.status}>Turn ended</label>
        <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value as '' | TraceSummary['status'])}>
          <option value="">Any way</option>
          <option value="ok">ok</option>
          <option value="error">in an error</option>
          <option value="stopped">stopped by you</option>
        </select>
        <label htmlFor={ids.range}>Time</label>
        <select id={ids.range} value={range} onChange={(e) => setRange(Number(e.target.value))}>
          {TIME_RANGES.map((r, i) => (
            <option key={r.label} value={i}>
              {r.label}
            </option>
          ))}
        </select>
        <label className="checkbox">
          <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} /> With a failed step (a turn that ended ok counts)
        </label>
      </div>
      {error && (
        <p className="trace-error" role="alert">
          {error}
        </p>
      )}
      {!error && traces.length === 0 && <p className="muted trace-empty">No traces match these filters.</p>}
      <ul className="trace-summaries">
        {traces.map((t) => (
          <li key={t.traceId}>
            <button type="button" className="trace-summary-row" data-testid="trace-summary" data-trace-id={t.traceId} onClick={() => onOpen(t.traceId)}>
              <span className="trace-summary-title">{(t.conversationId && titles.get(t.conversationId)) || t.name}</span>
              {/* The conversation's title is every one of its turns': what each was asked tells them apart. */}
              {t.request && (
                <span className="trace-summary-request" data-testid="trace-request" title={t.request}>
                  {t.request}
                </span>
              )}
              <span className="muted">
                {new Date(t.startTime).toLocaleString()} · {formatDuration(t.endTime - t.startTime)} · {counted(t.spanCount, 'span')}
                {t.toolNames.length > 0 ? ` · ${t.toolNames.join(', ')}` : ''}
              </span>
              {(t.status === 'stopped' || t.errorCount > 0 || t.deniedCount > 0) && (
                <span className="trace-summary-status">
                  {t.status === 'stopped' && <span className="span-status status-cancelled">stopped</span>}
                  {t.deniedCount > 0 && <span className="span-status status-denied-calls">{t.deniedCount} denied</span>}
                  {t.errorCount > 0 && <span className="span-status status-error">{counted(t.errorCount, 'error')}</span>}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
