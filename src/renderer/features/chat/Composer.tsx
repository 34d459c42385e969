import { useEffect, useId, useState, type KeyboardEvent, type RefObject } from 'react';
import { isTextEntry } from '../../lib/keyboard';
import { OfferingForm } from './OfferingForm';
import { offeringKey, offeringLabel, originOf, type ServerWordsOrigin } from './offerings';
import { OfferingPicker, offeringOptionId } from './OfferingPicker';
import { useOfferingPicker } from './useOfferingPicker';

export interface ComposerProps {
  /** True while a turn runs: the composer waits for it to end. */
  busy: boolean;
  /** Resolves true when the message was accepted; on false the text is given back to the person. */
  onSend: (text: string, origin?: ServerWordsOrigin) => Promise<boolean>;
  /** Present while a turn runs: stops it (the model, pending approvals and running tools). Esc does the same. */
  onStop?: () => void;
  error: string | null;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** Replaces the text, to edit and send (a tool's "Use in chat"); a new object each time. */
  draft?: { text: string } | null;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line. A `/` at its start lists the MCP servers' prompts
 * and resources; the one picked is filled in or read and put in the box, with a note of whose words they are, to
 * read before sending.
 */
export function Composer({ busy, onSend, onStop, error, inputRef, draft }: ComposerProps) {
  const [text, setText] = useState('');
  /** Whose prompt or resource the box holds, until it is sent or emptied. */
  const [source, setSource] = useState<{ origin: ServerWordsOrigin; label: string } | null>(null);
  const picker = useOfferingPicker(text, busy);
  const { matches, picked } = picker;

  useEffect(() => {
    if (!draft) return;
    setText(draft.text);
    setSource(null);
    inputRef.current?.focus();
  }, [draft, inputRef]);
  const errorId = useId();
  const hintId = useId();
  const sourceId = useId();
  const pickerId = useId();
  const canSend = !busy && text.trim().length > 0;
  const describedBy = [hintId, source && text ? sourceId : null, error ? errorId : null].filter(Boolean).join(' ');

  // Give the keyboard back to the message box when a turn ends, unless the person moved on.
  useEffect(() => {
    if (!busy && (document.activeElement === document.body || document.activeElement === null)) {
      inputRef.current?.focus();
    }
  }, [busy, inputRef]);

  // Esc stops the running turn from anywhere in the window, as the Stop button does; not when it closed a panel
  // first (those listen in the capture phase and prevent it), nor from a field the person is typing in.
  useEffect(() => {
    if (!onStop) return;
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !isTextEntry(event.target)) onStop();
    };
    window.addEventListener('keydown', onEscape);
    return () => window.removeEventListener('keydown', onEscape);
  }, [onStop]);

  const submit = async () => {
    const message = text.trim();
    if (!message || busy) return;
    const held = source;
    setText('');
    setSource(null);
    const accepted = await onSend(message, held?.origin);
    if (!accepted) {
      setText((current) => (current === '' ? message : current));
      setSource((current) => current ?? held);
    }
  };

  const closePicked = (inserted?: string) => {
    if (inserted !== undefined && picked) {
      setText(inserted);
      setSource({ origin: originOf(picked), label: offeringLabel(picked) });
    }
    picker.done(inserted === undefined);
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (picker.onKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <div className="composer">
      {picker.open && (
        <OfferingPicker id={pickerId} matches={matches} active={picker.active} error={picker.error} problems={picker.problems} onPick={picker.pick} />
      )}
      {picked && <OfferingForm key={offeringKey(picked)} offering={picked} onInsert={closePicked} onCancel={() => closePicked()} />}
      <form
        className="composer-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="composer-row">
          <textarea
            ref={inputRef}
            className="composer-input"
            aria-label="Message"
            aria-describedby={describedBy}
            aria-autocomplete="list"
            aria-controls={matches?.length ? pickerId : undefined}
            aria-activedescendant={matches?.length ? offeringOptionId(pickerId, picker.active) : undefined}
            placeholder={busy ? 'Waiting for the reply…' : 'Ask Portcullis to do something in your workspace, or type / for a prompt or resource'}
            // Grows with its lines (to 12, then scrolls): an inserted prompt is read whole before it is sent.
            rows={Math.min(12, Math.max(2, text.split('\n').length))}
            value={text}
            disabled={busy}
            onChange={(event) => {
              setText(event.target.value);
              if (!event.target.value) setSource(null);
            }}
            onKeyDown={onKeyDown}
          />
          {onStop ? (
            <button type="button" className="danger" onClick={onStop} aria-keyshortcuts="Escape">
              Stop
            </button>
          ) : (
            <button type="submit" className="primary" disabled={!canSend}>
              Send
            </button>
          )}
        </div>
        {source && text && (
          <p id={sourceId} className="composer-source" data-testid="composer-source">
            From the {source.origin.server} server's {source.origin.kind} “{source.label}”. Read it before you send it: it goes to the model as your message, and the
            conversation then counts as holding that server's words (what could send data out asks).
          </p>
        )}
        <p id={hintId} className="composer-hint muted">
          Enter sends · Shift+Enter new line · / MCP prompts and resources · Esc stops · Ctrl+N new chat
        </p>
        {error && (
          <p id={errorId} className="composer-error" role="alert" data-testid="composer-error">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}

