import type { ReactNode } from 'react';
import { counted } from '../../../shared/counted';
import type { SpanRecord } from '../../../shared/domain/span';
import { isContentAttribute, type CaptureMode } from '../../../shared/domain/trace';
import { formatCount, formatDuration } from '../../lib/format';
import { shownAttributeValue } from './attribute-value';
import { shownSpanStatus, spanStatusTone, type SpanRow } from './span-tree';

function Row({ label, children, className }: { label: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className="attr">
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="span-section" data-testid={testId}>
      <h3>{title}</h3>
      <dl>{children}</dl>
    </section>
  );
}

/** An attribute key that wraps after its dots ("portcullis.tool_call.<wbr>status"), not in the middle of a word. */
const breakable = (key: string): ReactNode => key.split('.').map((part, i) => (i === 0 ? part : ['.', <wbr key={i} />, part]));

const text = (value: unknown) => (value === undefined ? undefined : String(value));
const count = (value: unknown) => (typeof value === 'number' ? formatCount(value) : text(value));

/** A model step's history: how much of the conversation it was sent, against what budget and context. */
function HistorySection({ attrs }: { attrs: SpanRecord['attributes'] }) {
  const omitted = attrs['portcullis.history.omitted_messages'];
  const context = attrs['portcullis.model.context_tokens'];
  const images = attrs['portcullis.history.images'];
  const cutResults = attrs['portcullis.history.cut_results'];
  return (
    <Section title="What the model was sent" testId="span-history">
      <Row label="Messages">
        {count(attrs['portcullis.history.messages'])}
        {typeof omitted === 'number' && omitted > 0 ? `, the newest (${count(omitted)} earlier left out to fit)` : ', the whole conversation'}
      </Row>
      {attrs['portcullis.history.tokens'] !== undefined && (
        <Row label="History">
          ~{count(attrs['portcullis.history.tokens'])} of {count(attrs['portcullis.history.budget_tokens'])} tokens allowed
        </Row>
      )}
      <Row label="Context window">
        {context === undefined ? 'not known (the default history limit applies)' : `${count(context)} tokens (${text(attrs['portcullis.model.context_source'])})`}
      </Row>
      {attrs['portcullis.history.max_result_chars'] !== undefined && (
        <Row label="Tool results">
          cut past {count(attrs['portcullis.history.max_result_chars'])} characters each
          {typeof cutResults === 'number' && (cutResults > 0 ? ` (${counted(cutResults, 'result')} in this request ${cutResults === 1 ? 'was' : 'were'} cut)` : ' (none in this request was)')}
        </Row>
      )}
      {typeof images === 'number' && images > 0 && <Row label="Images">{count(images)} from this turn's tool results</Row>}
    </Section>
  );
}

/** One span: when and how long, its error, the policy rule and reasons, the approval and who gave it, events, attributes. */
export function SpanDetails({ row, traceStart, showContent, captureMode }: { row: SpanRow; traceStart: number; showContent: boolean; captureMode?: CaptureMode }) {
  const { span } = row;
  const status = shownSpanStatus(row);
  // A refusal's or a stop's message says why the step ended there; it is not an error to look into.
  const decided = status === 'denied' || status === 'stopped';
  const attrs = span.attributes;
  const entries = Object.entries(attrs);
  const content = entries.filter(([key]) => isContentAttribute(key));
  const plain = entries.filter(([key]) => !isContentAttribute(key));
  const policyRule = text(attrs['portcullis.policy.rule_id']);
  const approval = text(attrs['portcullis.approval.outcome']);
  return (
    <div className="span-details" data-testid="span-details" aria-label={`Details of ${span.name}`} role="region">
      <h3 className="span-details-title">
        <span className={`kind-chip kind-${span.kind}`}>{span.kind}</span> {span.name}
      </h3>
      <dl>
        <Row label="Status">
          <span className={`span-status status-${spanStatusTone(status)}`} data-testid="span-status">
            {status}
          </span>
        </Row>
        <Row label="Starts at">+{formatDuration(span.startTime - traceStart)}</Row>
        <Row label="Duration">{formatDuration(span.endTime - span.startTime)}{span.inProgress ? ' so far' : ''}</Row>
        {span.statusMessage && (
          <Row label={decided ? 'Why' : 'Error'} className={decided ? undefined : 'error-text'}>
            {span.statusMessage}
          </Row>
        )}
      </dl>
      {policyRule && (
        <Section title="Policy" testId="span-policy">
          <Row label="Decision">{text(attrs['portcullis.policy.effect'])}</Row>
          <Row label="Rule">{policyRule}</Row>
          <Row label="Reason">{text(attrs['portcullis.policy.reason'])}</Row>
        </Section>
      )}
      {attrs['portcullis.history.messages'] !== undefined && <HistorySection attrs={attrs} />}
      {approval && (
        <Section title="Approval" testId="span-approval">
          <Row label="Outcome">{approval}</Row>
          <Row label="Decided by">{text(attrs['portcullis.approval.decided_by']) ?? 'unknown'}</Row>
          {attrs['portcullis.approval.note'] !== undefined && <Row label="Note">{text(attrs['portcullis.approval.note'])}</Row>}
        </Section>
      )}
      {span.events && span.events.length > 0 && (
        <section className="span-section" data-testid="span-events">
          <h3>Events</h3>
          <ol className="span-events">
            {span.events.map((event, i) => (
              <li key={i}>
                <span className="muted">+{formatDuration(event.time - traceStart)}</span> {event.name}
                {Object.entries(event.attributes).map(([key, value]) => (
                  <span key={key} className="event-attr">
                    {' '}
                    {key}={shownAttributeValue(key, value)}
                  </span>
                ))}
              </li>
            ))}
          </ol>
        </section>
      )}
      <Section title="Attributes" testId="span-attributes">
        {plain.map(([key, value]) => (
          <Row key={key} label={breakable(key)}>
            {shownAttributeValue(key, value)}
          </Row>
        ))}
      </Section>
      {/* Asked for and nothing there: say why, rather than leave the person looking for a section that never comes. */}
      {showContent && content.length === 0 && (
        <p className="muted" data-testid="span-no-content">
          No content was captured for this span.
          {captureMode !== 'full' && ' Traces keep arguments, results and messages only when Settings › Traces is set to keep the content itself.'}
        </p>
      )}
      {showContent && content.length > 0 && (
        <Section title="Captured content" testId="span-content">
          {content.map(([key, value]) => (
            <Row key={key} label={breakable(key)}>
              <pre className="span-content">{String(value)}</pre>
            </Row>
          ))}
        </Section>
      )}
    </div>
  );
}
