import { useEffect, useState } from 'react';
import type { GrantChange } from '../../../shared/domain/grant-change';
import { grantChangeWords } from '../../../shared/grant-change-words';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

/**
 * "Grant history": the newest changes of what the servers and http.fetch may do (a server added, its sandbox off, a
 * domain, a folder, its output trusted, and their return), as the audit chain recorded them: the page's changes, the
 * file's hand edits, and those found at a start, made while Portcullis was not running, marked so. Read when opened,
 * and again with the page's refresh while open (`refreshedAt`), so the audit log is not read while nobody looks.
 */
export function GrantHistory({ refreshedAt }: { refreshedAt: unknown }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [changes, setChanges] = useState<GrantChange[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let active = true;
    api.invoke('audit.grants', {}).then(
      (list) => {
        if (!active) return;
        setChanges(list);
        setError(null);
      },
      (err: unknown) => active && setError(`Could not read the grant history. ${describeError(err)}`),
    );
    return () => {
      active = false;
    };
  }, [api, open, refreshedAt]);

  return (
    <section aria-labelledby="grant-history-heading" className="grant-history">
      <h3 id="grant-history-heading">Grant history</h3>
      <p className="muted">
        What the servers and http.fetch were allowed, or no longer allowed, from the audit log: changes made here, by hand in mcp.json or
        http-fetch.json, and those found at a start, made while Portcullis was not running. All of them: <code>portcullis audit list sandbox</code>.
      </p>
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>Show the newest changes</summary>
        {error && <p className="trace-error" role="alert">{error}</p>}
        {changes && changes.length === 0 && <p className="muted">No change recorded yet.</p>}
        {changes && changes.length > 0 && (
          <ol className="grant-history-list" aria-label="Grant changes, newest first">
            {changes.map((change) => (
              <li key={change.seq} data-testid="grant-change">
                <time dateTime={new Date(change.at).toISOString()}>{new Date(change.at).toLocaleString()}</time>
                <span>{grantChangeWords(change)}</span>
                {change.whileClosed && <strong className="grant-while-closed">changed while Portcullis was not running</strong>}
              </li>
            ))}
          </ol>
        )}
      </details>
    </section>
  );
}
