import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { ElicitationAnswer, ElicitationRequest } from '../../../shared/domain/elicitation';
import { checkElicitationAnswer } from '../../../shared/elicitation-answer';
import { Countdown } from '../../lib/Countdown';
import { useFocusKeptWhile } from '../../lib/focus-kept';
import { ElicitationFieldControl } from './ElicitationFieldControl';
import { SamplingRequest } from './SamplingRequest';
import { initialFormValues, toAnswerContent, type FormValue } from './elicitation-form';
import { useModalFocus } from './useModalFocus';

export interface ElicitationDialogProps {
  request: ElicitationRequest;
  /** Kept (with what was typed) but out of sight while an approval waits: that goes first. */
  hidden: boolean;
  /** Set when the question comes from a call in a conversation other than the one on screen. */
  otherConversation: { title: string; open: () => void } | null;
  /** How many more questions wait behind this one. */
  waitingAfter: number;
  /** Sends the answer; resolves with what went wrong, or null once it was taken. */
  answer: (elicitationId: string, answer: ElicitationAnswer) => Promise<string | null>;
  /** Where the keyboard goes after, when nothing else had it: the message box. */
  composerRef: RefObject<HTMLTextAreaElement | null>;
}

/**
 * An MCP server asking the person something in the middle of a call: who asks and during which call, the
 * server's words, and a form with its fields, checked as they are filled in. Submit sends the values, Decline
 * says no, Not now (Esc) cancels; no answer before the countdown ends cancels too. Modal, but anchored low so
 * the conversation and the call it is about stay in sight above it. A server asking for the model's words
 * (sampling) is shown what the model would read instead of a form, and "Send to the model" lets it run.
 */
export function ElicitationDialog({ request, hidden, otherConversation, waitingAfter, answer, composerRef }: ElicitationDialogProps) {
  const titleId = useId();
  const messageId = useId();
  const self = useRef<HTMLElement>(null);
  const [values, setValues] = useState(() => initialFormValues(request.fields));
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [submitTried, setSubmitTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const content = useMemo(() => toAnswerContent(request.fields, values), [request.fields, values]);
  const problems = useMemo(() => checkElicitationAnswer(request.fields, content), [request.fields, content]);
  const valid = Object.keys(problems).length === 0;
  const sampling = request.sampling;

  const onTabKey = useModalFocus(self, !hidden, (opener) => {
    // A waiting approval first, then what had the keyboard before the question, then the message box.
    const next = [document.querySelector<HTMLElement>('[data-approval-id]'), opener, composerRef.current].find(
      (el): el is HTMLElement => el instanceof HTMLElement && el.isConnected && !(el as HTMLInputElement).disabled,
    );
    next?.focus();
  });

  // The choices and fields wait disabled while the answer is sent; one the host refuses leaves the keyboard where it was.
  const keepFocus = useFocusKeptWhile(busy);
  const send = async (reply: ElicitationAnswer) => {
    if (busy) return;
    keepFocus();
    setBusy(true);
    setError(null);
    const problem = await answer(request.id, reply);
    // Taken: the question leaves the queue and this dialog with it.
    if (problem === null) return;
    setError(problem);
    setBusy(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitTried(true);
    if (!valid) {
      // Refused here, before anything leaves: the keyboard goes to the first field to fix.
      requestAnimationFrame(() => self.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    void send({ action: 'accept', content });
  };

  // Esc anywhere in the window means Not now while the question is in sight (it is modal); listened to in the
  // capture phase so the message box's Esc does not stop the turn instead.
  const sendRef = useRef(send);
  useLayoutEffect(() => {
    sendRef.current = send;
  });
  useEffect(() => {
    if (hidden) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return;
      event.preventDefault();
      void sendRef.current({ action: 'cancel' });
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [hidden]);

  const setValue = (name: string, value: FormValue) => setValues((current) => ({ ...current, [name]: value }));
  const touch = (name: string) => setTouched((current) => (current.has(name) ? current : new Set(current).add(name)));

  return (
    // Pressing on the backdrop keeps the focus where it was: the question stays until it is answered.
    <div className="elicitation-overlay" hidden={hidden} onMouseDown={(event) => event.target === event.currentTarget && event.preventDefault()}>
      <section
        ref={self}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={messageId}
        className="approval elicitation"
        data-testid="elicitation"
        data-elicitation-id={request.id}
        onKeyDown={onTabKey}
      >
        <div className="approval-header">
          <h2 id={titleId} className="approval-title">
            {sampling ? `${request.server} asks to use your model` : `${request.server} asks you`}
          </h2>
          <Countdown expiresAt={request.expiresAt} means="not now" over="Time is up: this question will be cancelled" testId="elicitation-countdown" />
        </div>
        <p className="elicitation-context" data-testid="elicitation-context">
          {request.call && (
            <>
              Asked while running <code>{request.call.toolName}</code>.{' '}
            </>
          )}
          {request.sandboxed ? 'The server runs in the sandbox.' : 'The server is not sandboxed.'}
          {otherConversation && (
            <>
              {' '}
              In {otherConversation.title}{' '}
              <button type="button" className="link-button" onClick={otherConversation.open}>
                Open
              </button>
            </>
          )}
          {waitingAfter > 0 && ` ${waitingAfter === 1 ? 'One more question waits' : `${waitingAfter} more questions wait`} after this one.`}
        </p>
        <form className="elicitation-form" noValidate onSubmit={submit}>
          {/* The server's words and its fields scroll; who asks and the choices stay in sight. */}
          <div className="elicitation-fields">
            {/* The server's words, as plain text (for a sampling request, Portcullis' own: no box). */}
            <p id={messageId} className={sampling ? undefined : 'elicitation-message'}>
              {request.message}
            </p>
            {sampling && <SamplingRequest ask={sampling} />}
            {request.fields.map((entry) => (
              <ElicitationFieldControl
                key={entry.name}
                entry={entry}
                value={values[entry.name] ?? ''}
                problem={touched.has(entry.name) || submitTried ? problems[entry.name] : undefined}
                disabled={busy}
                onChange={(value) => setValue(entry.name, value)}
                onTouched={() => touch(entry.name)}
              />
            ))}
          </div>
          <p className="elicitation-warning" data-testid="elicitation-warning">
            {sampling
              ? `The model reads only what is shown above, and what it writes goes to the ${request.server} server. A hosted model counts the tokens to your account.`
              : `Your answer goes to the ${request.server} server, which may pass it on to the model. Never enter a password or key here.`}
          </p>
          {submitTried && !valid && (
            <p className="approval-error" data-testid="elicitation-invalid">
              Nothing was sent: fix the fields marked above first.
            </p>
          )}
          {error && (
            <p className="approval-error" role="alert" data-testid="elicitation-error">
              {error}
            </p>
          )}
          <div className="approval-actions">
            <button type="submit" className="primary" disabled={busy}>
              {sampling ? 'Send to the model' : 'Submit'}
            </button>
            <button type="button" disabled={busy} onClick={() => void send({ action: 'decline' })}>
              Decline
            </button>
            <button type="button" disabled={busy} aria-keyshortcuts="Escape" onClick={() => void send({ action: 'cancel' })}>
              Not now
            </button>
            <span className="muted approval-hint">{sampling ? 'Esc: not now' : 'Enter in a field: submit · Esc: not now'}</span>
          </div>
        </form>
      </section>
    </div>
  );
}
