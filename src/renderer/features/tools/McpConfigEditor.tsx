import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { useFocusKeptWhile } from '../../lib/focus-kept';
import { mistakeLine } from './mistake-line';

type Outcome = { kind: 'saved'; movedToKeychain: string[] } | { kind: 'refused'; problems: string[] } | { kind: 'error'; message: string };

/**
 * mcp.json as text: paste Claude Desktop's `mcpServers` block as is, add Portcullis' fields beside it, save. Pasted
 * credentials go to the OS keychain on save; ones already saved show hidden and stay as they are.
 */
export function McpConfigEditor({ onSaved, fileVersion }: { onSaved: () => void; /** Bumped when the file changed on disk (a server turned on or off). */ fileVersion: number }) {
  const api = useApi();
  const [file, setFile] = useState('');
  const [text, setText] = useState<string | null>(null);
  /** The text as last read: the person's edits are what differs from it. */
  const [loaded, setLoaded] = useState<string | null>(null);
  const [changedOnDisk, setChangedOnDisk] = useState(false);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Save is disabled while it saves: the keyboard comes back to it afterwards.
  const keepFocus = useFocusKeptWhile(saving);
  const area = useRef<HTMLTextAreaElement>(null);

  /** A refusal that names a line: the caret goes there, and the line into view (the text has no line numbers). */
  const showMistake = (problems: readonly string[], saved: string) => {
    const where = mistakeLine(problems, saved);
    const element = area.current;
    if (!where || !element || element.value !== saved) return;
    element.setSelectionRange(where.start, where.end);
    const lineHeight = Number.parseFloat(getComputedStyle(element).lineHeight);
    if (Number.isFinite(lineHeight)) element.scrollTop = Math.max(0, (where.line - 3) * lineHeight);
  };

  const edited = text !== loaded;
  const editedRef = useRef(edited);
  editedRef.current = edited;
  /**
   * A save under way: the file changing now is that save (or is overwritten by it), which re-reads the file when
   * done; the person is not told their own save changed it. Only a save that did not go through says so after.
   */
  const saveUnderWay = useRef<{ changed: boolean } | null>(null);

  /**
   * Reads the file. `keepEdits`: a read that comes back after the person began typing does not replace their text
   * (the reply can arrive after the keystroke that started the edit); they are told instead.
   */
  const load = useCallback(
    ({ keepEdits }: { keepEdits: boolean }) =>
      api.invoke('tools.mcpConfig', {}).then(
        (config) => {
          setFile(config.file);
          if (keepEdits && editedRef.current) return setChangedOnDisk(true);
          setText(config.text);
          setLoaded(config.text);
          setChangedOnDisk(false);
        },
        (err: unknown) => setOutcome({ kind: 'error', message: `Could not read mcp.json. ${describeError(err)}` }),
      ),
    [api],
  );

  useEffect(() => void load({ keepEdits: false }), [load]);
  // A change on disk replaces the text, unless the person is editing it: then they are told, not overwritten.
  useEffect(() => {
    if (fileVersion === 0) return;
    if (saveUnderWay.current) return void (saveUnderWay.current.changed = true);
    if (editedRef.current) setChangedOnDisk(true);
    else void load({ keepEdits: true });
  }, [fileVersion, load]);

  const save = async () => {
    if (text === null) return;
    keepFocus();
    setSaving(true);
    const thisSave = (saveUnderWay.current = { changed: false });
    let saved = false;
    try {
      const result = await api.invoke('tools.saveMcpConfig', { text });
      setOutcome(result.saved ? { kind: 'saved', movedToKeychain: result.movedToKeychain } : { kind: 'refused', problems: result.problems });
      if (!result.saved) showMistake(result.problems, text);
      if (result.saved) {
        saved = true;
        await load({ keepEdits: false });
        onSaved();
      }
    } catch (err) {
      setOutcome({ kind: 'error', message: `Could not save mcp.json. ${describeError(err)}` });
    } finally {
      saveUnderWay.current = null;
      if (!saved && thisSave.changed) setChangedOnDisk(true);
      setSaving(false);
    }
  };

  return (
    <section aria-label="Edit mcp.json" className="mcp-config-editor">
      <h3>Edit mcp.json</h3>
      <p className="muted">
        {file}: paste Claude Desktop&apos;s <code>mcpServers</code> as is. Saving restarts only the servers you changed.
      </p>
      <textarea
        ref={area}
        aria-label="mcp.json"
        spellCheck={false}
        wrap="off"
        rows={14}
        value={text ?? ''}
        disabled={text === null}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          // "S" too: Caps Lock on (as Ctrl+N and Ctrl+K are read).
          if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
            event.preventDefault();
            void save();
          }
        }}
      />
      <button type="button" onClick={() => void save()} disabled={text === null || saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
      {changedOnDisk && (
        <p role="status">
          mcp.json changed since you began editing (a server turned on or off, or the file saved in another app); saving your text would undo that.{' '}
          <button type="button" onClick={() => void load({ keepEdits: false })}>
            Reload and drop my edits
          </button>
        </p>
      )}
      {outcome?.kind === 'saved' && (
        <p role="status">
          Saved.
          {outcome.movedToKeychain.length > 0 && ` Moved to the OS keychain, now referenced as secret:NAME: ${outcome.movedToKeychain.join(', ')}.`}
        </p>
      )}
      {outcome?.kind === 'refused' &&
        outcome.problems.map((problem) => (
          <p key={problem} className="trace-error" role="alert">
            {problem}
          </p>
        ))}
      {outcome?.kind === 'error' && (
        <p className="trace-error" role="alert">
          {outcome.message}
        </p>
      )}
    </section>
  );
}
