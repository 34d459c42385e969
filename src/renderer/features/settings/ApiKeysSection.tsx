import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ApiKeyInfoDto } from '../../../shared/domain/security';
import { splitToolPatterns } from '../../../shared/domain/tool-patterns';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { ApiKeyEditor } from './ApiKeyEditor';
import { SCOPE_WORDS } from './scope-words';

const SCOPES = ['chat', 'tools', 'approve', 'traces:read', 'traces:content', 'admin'] as const;
type Scope = (typeof SCOPES)[number];
const EXPIRY_DAYS: Record<string, number | null> = { never: null, '7 days': 7, '30 days': 30, '90 days': 90 };

function state(key: ApiKeyInfoDto, now: number): string {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  return 'active';
}

/** Local API keys: created here (shown once), listed without their value, changed in place, revoked at once. */
export function ApiKeysSection() {
  const api = useApi();
  const [keys, setKeys] = useState<ApiKeyInfoDto[]>([]);
  const [name, setName] = useState('');
  // None until chosen: a key for an MCP client needs only tools, and chat, ticked for it, also read the person's
  // conversations and memories (README: "give an MCP client a tools key").
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [expiry, setExpiry] = useState('30 days');
  const [tools, setTools] = useState('');
  const [created, setCreated] = useState<{ id: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const id = useId();

  const refresh = useCallback(() => {
    api.invoke('apiKeys.list', {}).then(setKeys, (e: unknown) => setError(describeError(e)));
  }, [api]);
  useEffect(refresh, [refresh]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const days = EXPIRY_DAYS[expiry] ?? null;
    try {
      const only = splitToolPatterns(tools);
      const result = await api.invoke('apiKeys.create', { name, scopes, expiresAt: days === null ? null : Date.now() + days * 86_400_000, tools: only.length === 0 ? null : only });
      setCreated({ id: result.info.id, key: result.key });
      setName('');
      setScopes([]);
      setTools('');
      refresh();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const revoke = async (keyId: string) => {
    setError(null);
    try {
      await api.invoke('apiKeys.revoke', { id: keyId });
      if (created?.id === keyId) setCreated(null);
      refresh();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const now = Date.now();

  return (
    <section className="settings-section" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Local API keys</h3>
      <p className="muted">Scripts call the local API with <code>Authorization: Bearer &lt;key&gt;</code>. Only a hash is kept.</p>
      {created && (
        <div className="new-key" role="status" data-testid="new-api-key">
          <p>Copy this key now; it will not be shown again.</p>
          <code className="secret-once">{created.key}</code>
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <ul className="settings-list" data-testid="api-keys-list">
        {keys.length === 0 && <li className="muted">No keys yet.</li>}
        {keys.map((key) => (
          <li key={key.id}>
            <strong>{key.name}</strong> <code>{key.id}</code> <span className="chip">{state(key, now)}</span>{' '}
            <span className="muted">{key.scopes.join(', ')} · {key.tools === null ? 'all tools' : `only ${key.tools.join(', ')}`}{key.expiresAt ? ` · expires ${new Date(key.expiresAt).toLocaleDateString()}` : ''}</span>
            {state(key, now) === 'active' && editing !== key.id && (
              <button type="button" onClick={() => setEditing(key.id)} aria-label={`Change ${key.name}`}>
                Change
              </button>
            )}{' '}
            {state(key, now) === 'active' && (
              <button type="button" onClick={() => void revoke(key.id)} aria-label={`Revoke ${key.name}`}>
                Revoke
              </button>
            )}
            {editing === key.id && (
              <ApiKeyEditor
                apiKey={key}
                onDone={(changed) => {
                  setEditing(null);
                  if (changed) refresh();
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <form className="settings-form" onSubmit={(e) => void create(e)}>
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        <fieldset aria-describedby={`${id}-scopes-hint`}>
          <legend>Scopes</legend>
          <p id={`${id}-scopes-hint`} className="muted">
            What the key may do: tools alone for an MCP client (Cursor, Claude Desktop, Goose), chat for a script that chats.
          </p>
          {SCOPES.map((scope) => (
            <label key={scope} className="inline">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope)))}
              />
              {scope}
              <span className="muted"> — {SCOPE_WORDS[scope]}</span>
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-tools`}>Only these tools (optional)</label>
        <input
          id={`${id}-tools`}
          type="text"
          value={tools}
          onChange={(e) => setTools(e.target.value)}
          placeholder="fs.read, everything.*"
          aria-describedby={`${id}-tools-hint`}
          maxLength={2_000}
        />
        <p id={`${id}-tools-hint`} className="muted">
          Names or globs as the Tools page lists them, comma-separated: the key lists and calls only those. Empty: every tool. Not with chat, admin or approve, which reach every tool. A key's tools and scopes can be changed later (Change).
        </p>
        <label htmlFor={`${id}-exp`}>Expires</label>
        <select id={`${id}-exp`} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {Object.keys(EXPIRY_DAYS).map((label) => <option key={label}>{label}</option>)}
        </select>
        <button type="submit" disabled={!name.trim() || scopes.length === 0}>Create key</button>
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
    </section>
  );
}
