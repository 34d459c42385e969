import { useId, useState, type FormEvent } from 'react';
import type { ApiKeyInfoDto } from '../../../shared/domain/security';
import { splitToolPatterns } from '../../../shared/domain/tool-patterns';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { SCOPE_WORDS } from './scope-words';

const SCOPES = ['chat', 'tools', 'approve', 'traces:read', 'traces:content', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

/**
 * Changes one key's scopes and tools in place (`apiKeys.update`), so a key handed to Cursor or a script can be
 * narrowed or widened without a new key to copy there. It holds from the key's next request.
 */
export function ApiKeyEditor({ apiKey, onDone }: { apiKey: ApiKeyInfoDto; onDone(changed: boolean): void }) {
  const api = useApi();
  const [scopes, setScopes] = useState<Scope[]>(apiKey.scopes);
  const [tools, setTools] = useState(apiKey.tools?.join(', ') ?? '');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const only = splitToolPatterns(tools);
      await api.invoke('apiKeys.update', { id: apiKey.id, scopes, tools: only.length === 0 ? null : only });
      onDone(true);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <form className="settings-form key-editor" aria-label={`Change key ${apiKey.name}`} onSubmit={(e) => void save(e)}>
      <strong>Change key {apiKey.name}</strong>
      <fieldset>
        <legend>Scopes</legend>
        {SCOPES.map((scope) => (
          <label key={scope} className="inline">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope)))} />
            {scope}
            <span className="muted"> — {SCOPE_WORDS[scope]}</span>
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-tools`}>Only these tools</label>
      <input id={`${id}-tools`} type="text" value={tools} onChange={(e) => setTools(e.target.value)} placeholder="fs.read, everything.*" aria-describedby={`${id}-hint`} maxLength={2_000} />
      <p id={`${id}-hint`} className="muted">Empty: every tool. Clients using the key get the change at their next request; an open MCP session is told its tools changed.</p>
      <div className="key-editor-actions">
        <button type="submit" disabled={scopes.length === 0}>Save</button>
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
    </form>
  );
}
