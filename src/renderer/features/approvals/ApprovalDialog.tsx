import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { asksEveryCall, conversationAllowanceHolds, type ApprovalChoice, type ApprovalDecisionExtras, type ApprovalRequest } from '../../../shared/domain/approval';
import { alwaysAllowCondition } from '../../../shared/domain/policy-words';
import { describeAnnotations } from '../../lib/annotations';
import { useApi, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { Countdown } from '../../lib/Countdown';
import { useFocusKeptWhile } from '../../lib/focus-kept';
import { isTextEntry } from '../../lib/keyboard';
import { ArgumentsPreview } from './ArgumentsPreview';
import { parseJsonObject } from './approval-editing';
import { prettyJson } from '../../../shared/pretty-json';
import { allowanceButtonWords, allowanceReach } from './allowance-words';
import { serverToolWords } from './server-tool-words';
import { taintConsequence, taintWords } from './taint-words';
import { useSandboxWarning } from './useSandboxWarning';

export interface ApprovalDialogProps {
  request: ApprovalRequest;
  /** Set when the request comes from a conversation other than the one on screen. */
  otherConversation: { title: string; open: () => void } | null;
  decide: (approvalId: string, choice: ApprovalChoice, note?: string, extras?: ApprovalDecisionExtras) => Promise<void>;
  onDecided: (approvalId: string) => void;
  /** Told whether the person's edited arguments differ from the request's, so that "Allow all" cannot run the originals. */
  onEditedChange?: (approvalId: string, edited: boolean) => void;
  /** Told the note as it is typed, so that an answer given to all the requests at once carries it too. */
  onNoteChange?: (approvalId: string, note: string) => void;
  /** The message box: left empty (the person has just sent from it), it gives the keyboard to the request. */
  composerRef?: RefObject<HTMLTextAreaElement | null>;
}

/**
 * One tool call waiting for the person: what will happen, why it asks (rule, reasons, tainted source), and
 * the choice: allow once, for this conversation, always (with the rule shown and editable), or deny with a
 * note. The arguments can be edited before allowing. Enter on the dialog allows once, D denies, Esc stops the turn or
 * call that asked (as Stop does); no answer means deny.
 */
export function ApprovalDialog({ request, otherConversation, decide, onDecided, onEditedChange, onNoteChange, composerRef }: ApprovalDialogProps) {
  const titleId = useId();
  const whyId = useId();
  const self = useRef<HTMLElement>(null);
  const ruleField = useRef<HTMLTextAreaElement>(null);
  const ruleToggle = useRef<HTMLButtonElement>(null);
  const argsField = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // Away from the host, an answer would only fail to be sent: the buttons wait for it to be back.
  const offline = useConnection().state !== 'open';
  const api = useApi();
  const locked = busy || offline;
  const [error, setError] = useState<string | null>(null);
  const errorLine = useRef<HTMLParagraphElement>(null);
  // The buttons are disabled while an answer is sent: one that is not recorded gives the keyboard back to its button.
  const keepFocus = useFocusKeptWhile(busy);
  const [editing, setEditing] = useState(false);
  const [argsText, setArgsText] = useState(() => prettyJson(request.arguments));
  const [ruleOpen, setRuleOpen] = useState(false);
  const [ruleText, setRuleText] = useState(() => prettyJson(request.proposedRule?.args ?? {}));
  const annotations = describeAnnotations(request.annotations);
  const serverWords = serverToolWords(request);
  const parsedArgs = editing ? parseJsonObject(argsText) : null;
  const parsedRule = ruleOpen ? parseJsonObject(ruleText) : null;
  const shownArgs = parsedArgs?.ok ? parsedArgs.value : request.arguments;
  const edited = editing && argsText !== prettyJson(request.arguments);
  // Said for the arguments that would run: edited ones are checked again by the host.
  const sandboxWarning = useSandboxWarning(request, edited ? { edited, arguments: parsedArgs?.ok ? parsedArgs.value : null } : { edited: false });
  // Every call of an MCP server without an OS sandbox asks, whatever allowed it: a longer "allow" would not hold.
  const onceOnly = asksEveryCall(request);
  // In a conversation that read untrusted content, such a call asks each time: an allowance for it would not hold.
  const askedEachTimeHere = !onceOnly && !conversationAllowanceHolds(request);
  // A caller's conversation of the day: its allowance reaches the caller's later sessions too, said before it is chosen.
  const reach = allowanceReach(request);

  useEffect(() => {
    onEditedChange?.(request.id, edited);
  }, [onEditedChange, request.id, edited]);
  // Answered or gone, it holds nothing back any more.
  useEffect(() => () => onEditedChange?.(request.id, false), [onEditedChange, request.id]);

  useEffect(() => {
    const active = document.activeElement;
    // The message box stays open during a turn, and keeps the focus after sending: only a next message being
    // written there holds on to it; an empty box would leave Enter and D doing nothing the hint says.
    const composer = composerRef?.current;
    const writing = isTextEntry(active) && !(composer && active === composer && composer.value === '');
    if (active?.closest('[data-approval-id]') || writing) return;
    self.current?.focus();
  }, [composerRef]);

  // An editor opens below the buttons: the keyboard goes to its field, and the buttons stay in sight above it.
  useEffect(() => {
    if (ruleOpen) revealEditor(ruleField.current);
  }, [ruleOpen]);
  useEffect(() => {
    if (editing) revealEditor(argsField.current);
  }, [editing]);
  // What went wrong is drawn at the foot of the request, which may be scrolled out of sight below the editors.
  useEffect(() => {
    if (error) errorLine.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);

  const choose = async (choice: ApprovalChoice) => {
    if (locked) return;
    const extras: ApprovalDecisionExtras = request.argumentsHash ? { argumentsHash: request.argumentsHash } : {};
    if (choice !== 'deny' && parsedArgs) {
      if (!parsedArgs.ok) return setError(`The edited arguments were not sent. ${parsedArgs.error}`);
      extras.arguments = parsedArgs.value;
    }
    if (choice === 'always_allow') {
      if (!parsedRule?.ok) return setError(`The rule was not saved. ${parsedRule && !parsedRule.ok ? parsedRule.error : ''}`);
      extras.ruleArgs = parsedRule.value as ApprovalDecisionExtras['ruleArgs'];
    }
    keepFocus();
    setBusy(true);
    setError(null);
    try {
      await decide(request.id, choice, choice === 'deny' ? note : undefined, extras);
      onDecided(request.id);
    } catch (err) {
      setError(`Your answer was not recorded. ${describeError(err)}`);
      setBusy(false);
    }
  };

  // Esc stops what asked, as Stop does: its turn, or the script's or MCP client's call, whichever conversation is
  // open; left to the window, it stopped the open conversation's turn, another one's, or nothing.
  const stopAsker = async () => {
    setError(null);
    try {
      await api.invoke('chat.stop', { conversationId: request.conversationId });
    } catch (err) {
      setError(`Not stopped. ${describeError(err)}`);
    }
  };

  // Keys work when the request itself has the focus (it takes it when it appears), not while typing in it.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented && !event.nativeEvent.isComposing && !isTextEntry(event.target)) {
      event.preventDefault();
      void stopAsker();
      return;
    }
    if (event.repeat || event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey) return;
    const choice = event.key === 'Enter' ? 'allow_once' : event.key.toLowerCase() === 'd' ? 'deny' : null;
    if (!choice) return;
    event.preventDefault();
    void choose(choice);
  };

  return (
    <section
      ref={self}
      role="dialog"
      aria-labelledby={titleId}
      aria-describedby={whyId}
      tabIndex={-1}
      className={`approval${request.taint?.length ? ' tainted' : ''}`}
      data-testid="approval"
      data-approval-id={request.id}
      onKeyDown={onKeyDown}
    >
      <div className="approval-header">
        <h3 id={titleId} className="approval-title">
          {request.summary}
        </h3>
        <Countdown expiresAt={request.expiresAt} means="deny" over="Time is up: this call will be denied" testId="approval-countdown" />
      </div>
      {request.taint && request.taint.length > 0 && (
        <p className="approval-taint" data-testid="approval-taint">
          <strong>This conversation read untrusted content:</strong> {taintWords(request.taint)}. {taintConsequence(request)}
        </p>
      )}
      <dl className="approval-facts">
        {request.requestedBy && (
          <>
            {/* No model of Portcullis asked: a script or an MCP client did, and it is what waits for the answer. */}
            <dt>Asked by</dt>
            <dd data-testid="approval-requested-by">{request.requestedBy}</dd>
          </>
        )}
        {request.sentBy && (
          <>
            {/* The agent asked, for a message someone else sent it (the terminal, a script): not one of the person's. */}
            <dt>Message sent by</dt>
            <dd data-testid="approval-sent-by">{request.sentBy}, not you</dd>
          </>
        )}
        {request.retriedBy !== undefined && (
          <>
            {/* Retry ran the turn again: who did, so a message someone else sent reads as theirs, retried by whom. */}
            <dt>Retried by</dt>
            <dd data-testid="approval-retried-by">{request.retriedBy === null ? 'you' : `${request.retriedBy}, not you`}</dd>
          </>
        )}
        <dt>Tool</dt>
        <dd>
          <code>{request.toolName}</code>
          {request.server && request.server !== 'builtin' ? <> on server <code>{request.server}</code></> : null}
          <span className="muted"> — {annotations}</span>
        </dd>
        {serverWords && (
          <>
            {/* The server's words, under Portcullis' own title and boxed apart from it, as a server's question is. */}
            <dt>Its server says</dt>
            <dd data-testid="approval-server-words">
              <p className="server-words">
                {serverWords.title && <strong>{serverWords.title}</strong>}
                {serverWords.title && serverWords.description && ': '}
                {serverWords.description}
              </p>
              <span className="muted">The {request.server} server's description of its tool, not Portcullis&apos;: the title above and the arguments below are what will run.</span>
            </dd>
          </>
        )}
        <dt>Sandboxed</dt>
        <dd data-testid="approval-sandboxed">
          {request.sandboxed ? 'yes' : 'no'}
          {/* Before the answer, not after it: an "Allow once" of a write its sandbox refuses can only fail. */}
          {sandboxWarning && (
            <p className="approval-error" data-testid="approval-sandbox-warning">
              {sandboxWarning}
            </p>
          )}
        </dd>
        <dt>Why it asks</dt>
        <dd id={whyId} data-testid="approval-reason">
          {request.decision.reason} (rule <code>{request.decision.ruleId}</code>)
        </dd>
        {otherConversation && (
          <>
            <dt>Conversation</dt>
            <dd>
              {otherConversation.title}{' '}
              {/* Named apart: with several requests waiting, a screen reader's list of buttons holds several "Open". */}
              <button type="button" className="link-button" aria-label={`Open ${otherConversation.title}`} onClick={otherConversation.open}>
                Open
              </button>
            </dd>
          </>
        )}
      </dl>
      <ArgumentsPreview request={request} args={shownArgs} />
      <div className="approval-actions">
        <button type="button" className="primary" disabled={locked} aria-keyshortcuts="Enter" onClick={() => void choose('allow_once')}>
          Allow once
        </button>
        {!onceOnly && !askedEachTimeHere && !request.soleCall && (
          <button type="button" disabled={locked} onClick={() => void choose('allow_conversation')}>
            {allowanceButtonWords(request)}
          </button>
        )}
        {request.proposedRule && !onceOnly && (
          <button type="button" ref={ruleToggle} disabled={locked} aria-expanded={ruleOpen} aria-controls={ruleOpen ? `${titleId}-rule-editor` : undefined} onClick={() => setRuleOpen((open) => !open)}>
            Always allow…
          </button>
        )}
        <button type="button" disabled={locked} aria-expanded={editing} aria-controls={editing ? `${titleId}-args-editor` : undefined} onClick={() => setEditing((open) => !open)}>
          {editing ? 'Stop editing' : 'Edit arguments'}
        </button>
        <form
          className="deny-form"
          onSubmit={(event) => {
            event.preventDefault();
            void choose('deny');
          }}
        >
          <button type="submit" className="danger" disabled={locked} aria-keyshortcuts="D">
            Deny
          </button>
          <input
            type="text"
            // A script's or an MCP client's call: the note goes back to it, with the denial, not to a model of Portcullis.
            aria-label={`Note to ${request.requestedBy ?? 'the agent'}`}
            // It goes with a denial only (this field is the Deny button's; Enter in it denies): said where it is typed.
            placeholder={`Why you deny it, for ${request.requestedBy ?? 'the agent'} (optional)`}
            maxLength={2000}
            value={note}
            disabled={busy}
            onChange={(event) => (setNote(event.target.value), onNoteChange?.(request.id, event.target.value))}
          />
        </form>
      </div>
      {/* Under the choices rather than in their sticky bar: in a short window that bar leaves the call's details room. */}
      <p className="muted approval-hint">
        {offline && 'Not connected to Portcullis: answer once it is back. '}
        {onceOnly && 'Its server runs without a sandbox, so each of its calls asks: it can only be allowed once. '}
        {askedEachTimeHere && 'This conversation read untrusted content, so each call like this asks here; "Always allow…" holds in other conversations. '}
        {!onceOnly && !askedEachTimeHere && !request.soleCall && reach !== null && `${reach} `}
        {/* A line of its own: after a sentence of what a choice covers it would read as that sentence's end. */}
        <span className="approval-keys">
          Enter: allow once · D: deny · Enter in the note: deny with it · Esc: stop {request.requestedBy ? 'the call' : 'the turn'}
        </span>
      </p>
      {/* The editors open below the buttons that open them: a sticky bar only ever covers what comes before it. */}
      {editing && (
        <div id={`${titleId}-args-editor`} className="approval-edit">
          <label className="detail-label" htmlFor={`${titleId}-args`}>
            Arguments (JSON), checked again before anything runs
          </label>
          <textarea ref={argsField} id={`${titleId}-args`} className="json-editor" rows={6} value={argsText} disabled={busy} onChange={(event) => (setArgsText(event.target.value), setError(null))} />
          {parsedArgs && !parsedArgs.ok && <p className="approval-error">{parsedArgs.error}</p>}
        </div>
      )}
      {ruleOpen && request.proposedRule && (
        <div id={`${titleId}-rule-editor`} className="approval-rule" role="group" aria-label="Always allow rule" data-testid="approval-rule">
          <p className="detail-label">
            The rule this creates: always allow <code>{request.proposedRule.tool}</code>{' '}
            <span data-testid="approval-rule-words">{parsedRule?.ok ? alwaysAllowCondition(parsedRule.value as Record<string, Record<string, unknown>>) : '…'}</span>. You can
            narrow or widen the pattern, and revoke the rule under Policies.
          </p>
          <label className="detail-label" htmlFor={`${titleId}-rule`}>
            Argument pattern (JSON)
          </label>
          <textarea
            ref={ruleField}
            id={`${titleId}-rule`}
            className="json-editor"
            rows={4}
            value={ruleText}
            disabled={busy}
            onChange={(event) => (setRuleText(event.target.value), setError(null))}
            // Esc backs out of the rule, as from a panel, to its button: the pattern is kept for a second look, and no
            // rule is made. (Not the arguments' editor: closed, its edits would silently give way to the originals.)
            onKeyDown={(event) => {
              if (event.key !== 'Escape' || event.nativeEvent.isComposing) return;
              event.preventDefault();
              setRuleOpen(false);
              ruleToggle.current?.focus();
            }}
          />
          {parsedRule && !parsedRule.ok && <p className="approval-error">{parsedRule.error}</p>}
          <button type="button" className="primary" disabled={locked} onClick={() => void choose('always_allow')}>
            Save rule and allow
          </button>
        </div>
      )}
      {error && (
        <p ref={errorLine} className="approval-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * Focuses an editor's field and scrolls the requests so that the whole editor is in sight, its own button too. It
 * sits below the dialog's buttons, so they are in their place just above it, never stuck over it; a field taller
 * than the requests' share of the window is shown from its top.
 */
function revealEditor(field: HTMLElement | null): void {
  if (!field) return;
  field.focus({ preventScroll: true });
  (field.parentElement ?? field).scrollIntoView({ block: 'nearest' });
  field.scrollIntoView({ block: 'nearest' });
}
