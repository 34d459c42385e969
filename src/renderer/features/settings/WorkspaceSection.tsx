import { useEffect, useId, useState, type FormEvent } from 'react';
import type { WorkspaceSource, WorkspaceStatus } from '../../../shared/domain/workspace';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

const SOURCE_WORDS: Record<WorkspaceSource, string> = {
  flag: 'given with --workspace when Portcullis started',
  setting: 'chosen here',
  default: 'the default, inside the data folder',
};

/** The one folder the built-in tools may read and write: the one in use, and another chosen for the next start. */
export function WorkspaceSection() {
  const api = useApi();
  const id = useId();
  const [status, setStatus] = useState<WorkspaceStatus | null>(null);
  // What the person typed; until they type (and after a save) the field shows the folder chosen here.
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const field = typed ?? status?.chosen ?? '';

  useEffect(() => {
    api.invoke('workspace.get', {}).then(setStatus, (e: unknown) => setError(describeError(e)));
  }, [api]);

  const choose = async (path: string | null) => {
    setError(null);
    try {
      setStatus(await api.invoke('workspace.set', { path }));
      setTyped(null);
    } catch (e) {
      setError(`Not changed. ${describeError(e)}`);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (field.trim() === '') setError('Type the full path of a folder, or use the default.');
    else void choose(field.trim());
  };

  const chosenOrDefault = status ? (status.chosen ?? status.defaultPath) : '';
  return (
    <section className="settings-section" aria-labelledby={`${id}-h`} data-testid="workspace-settings">
      <h3 id={`${id}-h`}>Workspace</h3>
      <p className="muted">The one folder the built-in tools may read and write, and what {'${workspace}'} means in your policy.</p>
      <p data-testid="workspace-in-use">
        {status ? (
          <>
            In use: <code>{status.path}</code> ({SOURCE_WORDS[status.source]})
          </>
        ) : (
          'Loading…'
        )}
      </p>
      <form className="settings-form" onSubmit={save} noValidate>
        <label htmlFor={`${id}-path`}>Folder to use (its full path)</label>
        <input
          id={`${id}-path`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder={status?.defaultPath}
          value={field}
          disabled={!status}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setTyped(e.target.value)}
        />
        <span>
          <button type="submit" disabled={!status}>Save folder</button>{' '}
          <button type="button" disabled={!status || status.chosen === null} onClick={() => void choose(null)}>
            Use the default
          </button>
        </span>
      </form>
      {status?.pending && (
        <p role="status" data-testid="workspace-pending">
          Takes effect when Portcullis restarts: it will then use <code>{chosenOrDefault}</code>.
        </p>
      )}
      {status?.source === 'flag' && status.chosen !== null && status.chosen !== status.path && (
        <p className="muted" data-testid="workspace-flag-wins">
          Portcullis was started with --workspace, which wins over the folder chosen here for as long as it is given.
        </p>
      )}
      {status?.warning && <p className="muted">{status.warning}</p>}
      {status?.problem && <p className="error-text" role="alert">{status.problem}</p>}
      {error && (
        <p id={`${id}-error`} className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
