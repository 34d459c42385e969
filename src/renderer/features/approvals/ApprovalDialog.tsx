import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ApprovalChoice, ApprovalRequest } from '../../../shared/domain/approval';
import type { ToolAnnotations } from '../../../shared/domain/tool-call';
import { describeError } from '../../lib/errors';
import { formatCountdown } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { ArgumentsPreview } from './ArgumentsPreview';

export interface ApprovalDialogProps {
  request: ApprovalRequest;
  /** Set when the request comes from a conversation other than the one on screen. */
  otherConversation: { title: string; open: () => void } | null;
  decide: (approvalId: string, choice: ApprovalChoice, note?: string) => Promise<void>;
  onDecided: (approvalId: string) => void;
}

function describeAnnotations(annotations: ToolAnnotations): string | null {
  const notes: string[] = [];
  if (annotations.readOnlyHint) notes.push('read-only');
  if (annotations.destructiveHint) notes.push('may delete or overwrite data');
  if (annotations.idempotentHint) notes.push('safe to repeat');
  if (annotations.openWorldHint) notes.push('reaches outside your computer');
  return notes.length > 0 ? notes.join(', ') : null;
}

function isTyping(element: Element | null): boolean {
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement) return !element.disabled;
  return element instanceof HTMLElement && element.isContentEditable;
}

/**
 * One tool call waiting for the person: what will happen, why it asks, and the choice. Docked above the
 * composer, never hiding the conversation. Enter on the dialog allows once; no answer in time means deny.
 */
export function ApprovalDialog({ request, otherConversation, decide, onDecided }: ApprovalDialogProps) {
  const titleId = useId();
  const whyId = useId();
  const self = useRef<HTMLElement>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remaining = request.expiresAt - useNow(1000);
  const annotations = describeAnnotations(request.annotations);

  // Take the keyboard when the request appears, unless the person is answering another request or typing:
  // an Enter meant for a text field must never land on "Allow once".
  useEffect(() => {
    const active = document.activeElement;
    if (active?.closest('[data-approval-id]') || isTyping(active)) return;
    self.current?.focus();
  }, []);

  const choose = async (choice: ApprovalChoice) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await decide(request.id, choice, choice === 'deny' ? note : undefined);
      onDecided(request.id);
    } catch (err) {
      setError(`Your answer was not recorded. ${describeError(err)}`);
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Enter' && !event.repeat && event.target === event.currentTarget) {
      event.preventDefault();
      void choose('allow_once');
    }
  };

  return (
    <section
      ref={self}
      role="dialog"
      aria-labelledby={titleId}
      aria-describedby={whyId}
      tabIndex={-1}
      className="approval"
      data-testid="approval"
      data-approval-id={request.id}
      onKeyDown={onKeyDown}
    >
      <div className="approval-header">
        <h3 id={titleId} className="approval-title">
          {request.summary}
        </h3>
        <span className={`countdown${remaining < 30_000 ? ' urgent' : ''}`} data-testid="approval-countdown">
          {remaining > 0 ? `No answer in ${formatCountdown(remaining)} means deny` : 'Time is up: this call will be denied'}
        </span>
      </div>
      <dl className="approval-facts">
        <dt>Tool</dt>
        <dd>
          <code>{request.toolName}</code>
          {annotations && <span className="muted"> — {annotations}</span>}
        </dd>
        <dt>Sandboxed</dt>
        <dd data-testid="approval-sandboxed">{request.sandboxed ? 'yes' : 'no'}</dd>
        <dt>Why it asks</dt>
        <dd id={whyId} data-testid="approval-reason">
          {request.decision.reason} (rule <code>{request.decision.ruleId}</code>)
        </dd>
        {otherConversation && (
          <>
            <dt>Conversation</dt>
            <dd>
              {otherConversation.title}{' '}
              <button type="button" className="link-button" onClick={otherConversation.open}>
                Open
              </button>
            </dd>
          </>
        )}
      </dl>
      <ArgumentsPreview toolName={request.toolName} args={request.arguments} />
      <div className="approval-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          aria-keyshortcuts="Enter"
          onClick={() => void choose('allow_once')}
        >
          Allow once
        </button>
        <form
          className="deny-form"
          onSubmit={(event) => {
            event.preventDefault();
            void choose('deny');
          }}
        >
          <button type="submit" className="danger" disabled={busy}>
            Deny
          </button>
          <input
            type="text"
            aria-label="Note to the agent"
            placeholder="Note to the agent (optional)"
            maxLength={2000}
            value={note}
            disabled={busy}
            onChange={(event) => setNote(event.target.value)}
          />
        </form>
        <span className="muted approval-hint">Enter: allow once</span>
      </div>
      {error && (
        <p className="approval-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
