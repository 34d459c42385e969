import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { isTextEntry } from '../../lib/keyboard';
import { busyComposerWords } from './busy-composer-words';
import { messageTooLong } from './message-length';
import { OfferingForm } from './OfferingForm';
import { offeringKey, offeringLabel, originOf, type ServerWordsOrigin } from './offerings';
import { ServerWordsNote, type ServerWordsSource } from './ServerWordsNote';
import { OfferingPicker, offeringOptionId } from './OfferingPicker';
import { placeOffering } from './place-offering';
import { useOfferingPicker } from './useOfferingPicker';

export interface ComposerProps {
  /** True while a turn runs: the composer waits for it to end. */
  busy: boolean;
  /** Resolves true when the message was accepted; on false the text is given back to the person. */
  onSend: (text: string, origins: readonly ServerWordsOrigin[]) => Promise<boolean>;
  /** Present while a turn runs: stops it (the model, pending approvals and running tools). Esc does the same. */
  onStop?: () => void;
  error: string | null;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** Replaces the text, to edit and send (a tool's "Use in chat"); a new object each time. */
  draft?: { text: string } | null;
  /** Who made the running turn's request, when a script or an MCP client did (its direct call), not the person. */
  busyWith?: string | undefined;
  /** Who made the requests of the other turns running at once (undefined: the person's, the agent's work). */
  busyAlongside?: readonly (string | undefined)[];
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line. A `/` at its start lists the MCP servers' prompts
 * and resources, and an `@` anywhere their resources; the one picked is filled in or read and put in the box (in
 * place of the whole text after `/`, at the cursor after `@`), with a note of whose words they are, to read
 * before sending.
 */
export function Composer({ busy, onSend, onStop, error, inputRef, draft, busyWith, busyAlongside }: ComposerProps) {
  const busyWords = busyComposerWords(busyWith, busyAlongside);
  const [text, setText] = useState('');
  /** Where the cursor is: an `@` just before it opens the resource list. */
  const [caret, setCaret] = useState(0);
  /** Whose prompts and resources the box holds, until it is sent or emptied. */
  const [sources, setSources] = useState<readonly ServerWordsSource[]>([]);
  const picker = useOfferingPicker(text, caret, busy);
  const { matches, picked } = picker;
  /** Where the cursor goes once an inserted text is in the box: after it. */
  const caretAfterInsert = useRef<number | null>(null);
  /** Set when a message too long to send was not sent; it speaks of that text, so any change to it clears it. */
  const [lengthError, setLengthError] = useState<string | null>(null);
  useEffect(() => setLengthError(null), [text]);
  const shownError = lengthError ?? error;

  useEffect(() => {
    if (!draft) return;
    setText(draft.text);
    setCaret(draft.text.length);
    setSources([]);
    inputRef.current?.focus();
  }, [draft, inputRef]);

  useLayoutEffect(() => {
    const at = caretAfterInsert.current;
    if (at === null || !inputRef.current) return;
    caretAfterInsert.current = null;
    inputRef.current.setSelectionRange(at, at);
  }, [text, inputRef]);
  const errorId = useId();
  const hintId = useId();
  const sourceId = useId();
  const pickerId = useId();
  const canSend = !busy && text.trim().length > 0;
  const describedBy = [hintId, sources.length > 0 && text ? sourceId : null, shownError ? errorId : null].filter(Boolean).join(' ');

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
    // Checked here, before a new chat is made for it: the host would refuse it anyway, in a validator's words.
    const tooLong = messageTooLong(message);
    if (tooLong) return setLengthError(tooLong);
    const held = sources;
    setText('');
    setSources([]);
    const accepted = await onSend(message, held.map((source) => source.origin));
    if (!accepted) {
      setText((current) => (current === '' ? message : current));
      setSources((current) => (current.length > 0 ? current : held));
    }
  };

  const closePicked = (inserted?: string) => {
    if (inserted !== undefined && picked) {
      const { offering, trigger } = picked;
      const source = { origin: originOf(offering), label: offeringLabel(offering), key: offeringKey(offering) };
      // The box as it is now (this runs once the server answered, from an older render): typing meanwhile is kept.
      const box = inputRef.current;
      const placed = placeOffering(box?.value ?? text, box?.selectionStart ?? text.length, trigger, inserted);
      caretAfterInsert.current = placed.caret;
      // Into the box at once, not at React's next render: a key pressed before that render is read from the box
      // as it was, and its change would put the text back without what was inserted.
      flushSync(() => {
        setText(placed.text);
        if (trigger.kind === 'slash') setSources([source]);
        else setSources((current) => (current.some((s) => s.key === source.key) ? current : [...current, source]));
        setCaret(placed.caret);
      });
    }
    picker.done(inserted === undefined);
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (picker.onKey(event)) return;
    // The box stays open while a turn runs, and Esc in it stops the turn as it does elsewhere in the window.
    if (event.key === 'Escape' && onStop) {
      event.preventDefault();
      onStop();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <div className="composer">
      {picker.open && (
        <OfferingPicker id={pickerId} kind={picker.kind} matches={matches} active={picker.active} error={picker.error} problems={picker.problems} onPick={picker.pick} />
      )}
      {picked && <OfferingForm key={offeringKey(picked.offering)} offering={picked.offering} onInsert={closePicked} onCancel={() => closePicked()} />}
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
            placeholder={busy ? busyWords.placeholder : 'Ask Portcullis to do something in your workspace, or type / for a prompt, @ for a resource'}
            // Grows with its lines (to 12, then scrolls): an inserted prompt is read whole before it is sent.
            rows={Math.min(12, Math.max(2, text.split('\n').length))}
            value={text}
            // Open while a turn runs, to write the next message during a long call; Enter waits for the turn to end.
            onChange={(event) => {
              setText(event.target.value);
              setCaret(event.target.selectionStart);
              if (!event.target.value) setSources([]);
            }}
            onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
          />
          {onStop ? (
            <button type="button" className="danger" onClick={onStop} aria-keyshortcuts="Escape">
              Stop
            </button>
          ) : (
            <button
              type="submit"
              className="primary"
              disabled={!canSend}
              // Sent from the button, the text goes and the button disables itself (then becomes Stop): the keyboard
              // goes on to the message box, where the next message is written and Esc stops, not to the page.
              onClick={() => canSend && inputRef.current?.focus()}
            >
              Send
            </button>
          )}
        </div>
        {sources.length > 0 && text && <ServerWordsNote id={sourceId} sources={sources} />}
        <p id={hintId} className="composer-hint muted">
          {busy
            ? busyWords.hint
            : 'Enter sends · Shift+Enter new line · / MCP prompts and resources · @ a resource · Esc stops · Ctrl+N new chat'}
        </p>
        {shownError && (
          <p id={errorId} className="composer-error" role="alert" data-testid="composer-error">
            {shownError}
          </p>
        )}
      </form>
    </div>
  );
}

