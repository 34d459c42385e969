import { useCallback, useEffect, useState } from 'react';
import { counted } from '../../../shared/counted';
import type { RetentionSettings } from '../../../shared/domain/memory';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { conversationsChanged } from '../conversations/useConversations';

type Field = Exclude<keyof RetentionSettings, 'privateChats'>;
/** `unset`: what an empty field means, shown in it. */
const FIELDS: { key: Field; label: string; unit: string; unset: string }[] = [
  { key: 'conversationDays', label: 'Keep conversations for', unit: 'days', unset: 'forever' },
  { key: 'traceDays', label: 'Keep traces for', unit: 'days', unset: 'forever' },
  { key: 'maxDatabaseMb', label: 'Cap the database at', unit: 'MB', unset: 'no cap' },
];

const toText = (value: number | null): string => (value === null ? '' : String(value));
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Retention settings, purge now, export everything and delete everything. Empty means "keep forever". */
export function RetentionTab() {
  const api = useApi();
  const [form, setForm] = useState<Record<Field, string> | null>(null);
  const [privateChats, setPrivateChats] = useState(false);
  const [size, setSize] = useState<number | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState('');
  /** A purge or deletion under way: it runs in slices for seconds, the app usable meanwhile, so it is said and not pressed twice. */
  const [busy, setBusy] = useState(false);

  const load = useCallback((): void => {
    api.invoke('retention.get', {}).then(
      ({ settings, databaseBytes }) => {
        setForm({ conversationDays: toText(settings.conversationDays), traceDays: toText(settings.traceDays), maxDatabaseMb: toText(settings.maxDatabaseMb) });
        setPrivateChats(settings.privateChats);
        setSize(databaseBytes);
      },
      (err: unknown) => setError(`Could not load retention settings. ${describeError(err)}`),
    );
  }, [api]);
  useEffect(load, [load]);

  const act = async (what: string, run: () => Promise<string>, pending?: string): Promise<void> => {
    setError(null);
    setStatus(pending ?? null);
    if (pending) setBusy(true);
    try {
      setStatus(await run());
      load();
    } catch (err) {
      setStatus(null);
      setError(`${what} failed. ${describeError(err)}`);
    } finally {
      if (pending) setBusy(false);
    }
  };
  const parse = (text: string): number | null => (text.trim() === '' ? null : Number(text));
  const save = () =>
    act('Saving', async () => {
      await api.invoke('retention.set', {
        conversationDays: parse(form!.conversationDays), traceDays: parse(form!.traceDays), maxDatabaseMb: parse(form!.maxDatabaseMb),
        privateChats,
      });
      return 'Saved. Retention runs at start, every hour, and when you press Purge now.';
    });
  const cut = (r: { conversations: number; messages: number; spans: number; note?: string }): string => {
    // The sidebar would list what was cut until it reads the list again.
    if (r.conversations > 0) conversationsChanged();
    const removed = `Removed ${counted(r.conversations, 'conversation')}, ${counted(r.messages, 'message')} and ${counted(r.spans, 'trace span')}.`;
    // Another program kept a WAL from being emptied: the deleted text is still on disk for now.
    return r.note ? `${removed} ${r.note}` : removed;
  };

  if (!form) return <div className="memory-tab">{error ? <p className="memory-error" role="alert">{error}</p> : <p className="muted">Loading…</p>}</div>;
  return (
    <div className="memory-tab">
      <form className="retention-form" onSubmit={(event) => (event.preventDefault(), void save())}>
        {FIELDS.map(({ key, label, unit, unset }) => (
          <label key={key} className="retention-field">
            <span>{label}</span>
            <input type="number" min={1} inputMode="numeric" placeholder={unset} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
            <span className="muted">{unit}</span>
          </label>
        ))}
        <p className="muted">
          Leave a field empty to keep everything. Over the cap, the oldest traces go first, then the oldest conversations. Each cut is
          written to the audit log.
        </p>
        <label className="retention-field">
          <input type="checkbox" checked={privateChats} onChange={(e) => setPrivateChats(e.target.checked)} />
          <span>New chats are private: kept in memory only, never written to disk, gone when Portcullis quits</span>
        </label>
        <div className="retention-actions">
          <button type="submit" className="primary">Save retention settings</button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void act('Purge', async () => cut(await api.invoke('retention.purge', {})), 'Purging… Portcullis stays usable meanwhile.')}
          >
            Purge now
          </button>
          <button type="button" onClick={() => void act('Export', async () => `Exported to ${(await api.invoke('data.export', {})).file}`)}>Export everything</button>
        </div>
      </form>
      {size !== null && <p className="muted" data-testid="database-size">Database size: {megabytes(size)}</p>}
      <div className="danger-zone">
        <label className="retention-field">
          <span>Type “delete everything” to delete all conversations, memories and traces</span>
          <input value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-label="Confirm delete everything" />
        </label>
        <button
          type="button"
          className="danger"
          disabled={confirm !== 'delete everything' || busy}
          onClick={() => void act('Delete everything', async () => (setConfirm(''), cut(await api.invoke('data.deleteAll', { confirm: 'delete everything' }))), 'Deleting everything…')}
        >
          Delete everything
        </button>
      </div>
      {status && <p role="status" className="memory-status">{status}</p>}
      {error && <p className="memory-error" role="alert">{error}</p>}
    </div>
  );
}
