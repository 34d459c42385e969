import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { SecretsOverview } from '../../../shared/domain/security';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { keychainProblemWords } from './keychain-problem';

/** Names people usually need; any other name can be typed. */
const SUGGESTED = ['provider.openai', 'provider.anthropic', 'provider.openai-compatible'];

/**
 * Provider keys and MCP credentials, kept in the OS keychain. This view only ever learns whether a secret is set:
 * the value goes out once, from a password field that is cleared right after.
 */
export function SecretsSection() {
  const api = useApi();
  const [overview, setOverview] = useState<SecretsOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [name, setName] = useState(SUGGESTED[0]!);
  const [value, setValue] = useState('');
  const nameId = useId();
  const valueId = useId();

  const refresh = useCallback(() => {
    api.invoke('secrets.list', {}).then(setOverview, (e: unknown) => setError(describeError(e)));
  }, [api]);
  useEffect(refresh, [refresh]);

  const isSet = (n: string) => overview?.secrets.some((s) => s.name === n && s.set) ?? false;
  const names = [...new Set([...SUGGESTED, ...(overview?.secrets.map((s) => s.name) ?? [])])];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const submitted = value;
    setValue('');
    try {
      await api.invoke('secrets.set', { name: name.trim(), value: submitted });
      setStatus(`${name.trim()} is set.`);
      refresh();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const remove = async (target: string) => {
    setError(null);
    try {
      await api.invoke('secrets.delete', { name: target });
      setStatus(`${target} is removed.`);
      refresh();
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${nameId}-h`}>
      <h3 id={`${nameId}-h`}>Secrets</h3>
      <p className="muted">Kept in your OS keychain, never in a file. Portcullis shows only whether each one is set.</p>
      {overview && !overview.available && <KeychainProblem overview={overview} />}
      <ul className="settings-list" data-testid="secrets-list">
        {names.map((n) => (
          <li key={n}>
            <code>{n}</code> <span className={isSet(n) ? 'chip chip-ok' : 'chip'}>{isSet(n) ? 'set' : 'not set'}</span>
            {isSet(n) && (
              <button type="button" onClick={() => void remove(n)} aria-label={`Remove ${n}`}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} type="text" list={`${nameId}-names`} value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}" />
        <datalist id={`${nameId}-names`}>{names.map((n) => <option key={n} value={n} />)}</datalist>
        <label htmlFor={valueId}>Value</label>
        <input id={valueId} type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} required />
        <button type="submit" disabled={!value || overview?.available === false}>
          {isSet(name.trim()) ? 'Replace' : 'Save'}
        </button>
      </form>
      <p role="status" className="muted">{status}</p>
      {error && <p className="error-text" role="alert">{error}</p>}
    </section>
  );
}

function KeychainProblem({ overview }: { overview: SecretsOverview }) {
  const { summary, details } = keychainProblemWords(overview);
  return (
    <div data-testid="keychain-problem">
      <p className="error-text" role="alert">
        {summary}
      </p>
      {details && (
        <details className="keychain-fix">
          <summary>Why, and how to set one up</summary>
          <p className="muted">{details}</p>
        </details>
      )}
    </div>
  );
}
