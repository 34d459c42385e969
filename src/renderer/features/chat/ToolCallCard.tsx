import { useEffect, useState } from 'react';
import type { ResultCut } from '../../../shared/domain/context-use';
import type { ToolCallRecord } from '../../../shared/domain/tool-call';
import { prettyJson } from '../../../shared/pretty-json';
import { cardStatus, describeDecision, refusalNote, unparsedArguments, unparsedArgumentsLine, waitedFor, wasCancelled, wasInterrupted, wasRefused } from '../../../shared/tool-call-words';
import { formatDuration } from '../../lib/format';
import { cardArgumentsLine } from './card-arguments';
import { resultCutWords } from './result-cut-words';
import { toolErrorWords } from './tool-error-words';
import { ToolResultView } from './ToolResultView';
import { hostOffFetchAllowlist } from './fetch-refusal';
import { useWebAccessOpener } from '../tools/web-access-opener';

/**
 * One governed tool call: what ran, who allowed it, how it went; expands to full arguments and result. `found`: a
 * search hit in its result opened it, so it is marked, takes the focus (tabIndex -1) and shows its result. `cut`:
 * its result was too long for the model's context, and the model's last request had only its start.
 */
export function ToolCallCard({ call, found = false, cut }: { call: ToolCallRecord; found?: boolean; cut?: ResultCut | undefined }) {
  // A call that never ran (denied by a rule, refused before it was asked about) has no time to show.
  const neverRan = call.status === 'denied' && call.approval === null;
  const duration = call.endedAt === null || wasInterrupted(call) || neverRan ? null : call.endedAt - call.startedAt;
  const unparsed = unparsedArguments(call);
  const args = unparsed === null ? cardArgumentsLine(call) : '';
  // The full arguments and result are laid out when opened: a long session holds a thousand closed cards.
  const [open, setOpen] = useState(found);
  // Found after it was drawn (the search opened its conversation): its result is what the person came for.
  useEffect(() => {
    if (found) setOpen(true);
  }, [found]);
  const status = cardStatus(call);
  const openWebAccess = useWebAccessOpener();
  const offList = openWebAccess ? hostOffFetchAllowlist(call) : null;
  return (
    <div
      className={found ? 'tool-card tool-card-found' : 'tool-card'}
      data-testid="tool-call"
      data-status={call.status}
      data-tool={call.toolName}
      data-tool-call-id={call.id}
      data-found={found || undefined}
      tabIndex={found ? -1 : undefined}
      role={found ? 'group' : undefined}
      aria-label={found ? `${call.toolName}, the call whose result you searched for` : undefined}
    >
      <div className="tool-card-line">
        <span className="tool-name">{call.toolName}</span>
        {args && <span className="tool-args">{args}</span>}
        {unparsed !== null && (
          <span className="tool-args" data-testid="tool-args-unparsed">
            <code>{unparsedArgumentsLine(unparsed)}</code> (not valid JSON)
          </span>
        )}
      </div>
      <div className="tool-card-line tool-meta">
        <span className="tool-decision" data-testid="tool-decision">
          {describeDecision(call)}
        </span>
        <span className={`tool-status status-${status.tone}`} data-testid="tool-status">
          {status.word}
        </span>
        {duration !== null && (
          <span className="tool-duration" data-testid="tool-duration">
            {call.approvalWaitMs === undefined
              ? formatDuration(duration)
              : // Not allowed, it never ran after the wait: the few ms of recording it are not its time.
                call.status === 'denied'
                ? `${formatDuration(call.approvalWaitMs)} ${waitedFor(call)}`
                : `${formatDuration(Math.max(0, duration - call.approvalWaitMs))}, after ${formatDuration(call.approvalWaitMs)} ${waitedFor(call)}`}
          </span>
        )}
      </div>
      {call.error &&
        (wasCancelled(call) ? (
          <p className="tool-note muted">{call.error.message}</p>
        ) : wasRefused(call) ? (
          refusalNote(call) && (
            <p className="tool-note" data-testid="tool-refusal">
              {refusalNote(call)}
            </p>
          )
        ) : (
          <p className="tool-error" data-code={call.error.code}>
            {toolErrorWords(call.error)}
          </p>
        ))}
      {offList && openWebAccess && (
        <button type="button" className="tool-card-action" onClick={() => openWebAccess(offList)}>
          Allow {offList} for http.fetch…
        </button>
      )}
      {cut && !call.error && (
        <p className="tool-note" data-testid="tool-result-cut">
          {resultCutWords(cut)}
        </p>
      )}
      <details className="tool-details" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>Details of {call.toolName}</summary>
        {open && <ToolCallDetails call={call} />}
      </details>
    </div>
  );
}

/** The full arguments: as JSON, or as the model sent them when they are not JSON. */
function ArgumentsDetail({ call }: { call: ToolCallRecord }) {
  const unparsed = unparsedArguments(call);
  return unparsed === null ? (
    <>
      <p className="detail-label">Arguments</p>
      <pre className="json">{prettyJson(call.arguments)}</pre>
    </>
  ) : (
    <>
      <p className="detail-label">Arguments, as the model sent them (not valid JSON)</p>
      <pre className="json">{unparsed}</pre>
    </>
  );
}

/** What the policy said, the full arguments, and the result or the error. */
function ToolCallDetails({ call }: { call: ToolCallRecord }) {
  return (
    <>
      {call.decision && (
        <p className="muted">
          Policy: {call.decision.effect} by rule {call.decision.ruleId} — {call.decision.reason}
        </p>
      )}
      <ArgumentsDetail call={call} />
      {call.error ? (
        <>
          <p className="detail-label">Error</p>
          <pre className="json">{prettyJson(call.error)}</pre>
        </>
      ) : (
        <>
          <p className="detail-label">Result</p>
          <ToolResultView result={call.result} toolName={call.toolName} />
        </>
      )}
    </>
  );
}
