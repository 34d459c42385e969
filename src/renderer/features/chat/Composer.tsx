import { useEffect, useId, useState, type KeyboardEvent, type RefObject } from 'react';
import { isTextEntry } from '../../lib/keyboard';

export interface ComposerProps {
  /** True while a turn runs: the composer waits for it to end. */
  busy: boolean;
  /** Resolves true when the message was accepted; on false the text is given back to the person. */
  onSend: (text: string) => Promise<boolean>;
  /** Present while a turn runs: stops it (the model, pending approvals and running tools). Esc does the same. */
  onStop?: () => void;
  error: string | null;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** Replaces the text, to edit and send (a tool's "Use in chat"); a new object each time. */
  draft?: { text: string } | null;
}

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ busy, onSend, onStop, error, inputRef, draft }: ComposerProps) {
  const [text, setText] = useState('');

  useEffect(() => {
    if (!draft) return;
    setText(draft.text);
    inputRef.current?.focus();
  }, [draft, inputRef]);
  const errorId = useId();
  const hintId = useId();
  const canSend = !busy && text.trim().length > 0;

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
    setText('');
    const accepted = await onSend(message);
    if (!accepted) setText((current) => (current === '' ? message : current));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form
      className="composer"
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
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          placeholder={busy ? 'Waiting for the reply…' : 'Ask Portcullis to do something in your workspace'}
          rows={2}
          value={text}
          disabled={busy}
          onChange={(event) => setText(event.target.value)}
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
      <p id={hintId} className="composer-hint muted">
        Enter sends · Shift+Enter new line · Esc stops · Ctrl+N new chat
      </p>
      {error && (
        <p id={errorId} className="composer-error" role="alert" data-testid="composer-error">
          {error}
        </p>
      )}
    </form>
  );
}

