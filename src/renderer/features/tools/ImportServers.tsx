import { useEffect, useRef, useState } from 'react';
import type { ImportSource, McpImportResult, OtherAppId } from '../../../shared/domain/mcp-import';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { useFocusKeptWhile } from '../../lib/focus-kept';

/**
 * The servers already set up in Claude Desktop, Cursor and the other MCP hosts found on this machine, added to
 * mcp.json in one step. Only their names come to the page: their credentials go straight to the keychain.
 */
export function ImportServers({ onImported, fileVersion }: { onImported: () => void; /** Bumped when mcp.json changed. */ fileVersion: number }) {
  const api = useApi();
  const [sources, setSources] = useState<ImportSource[]>([]);
  const [busy, setBusy] = useState<OtherAppId | null>(null);
  const [outcome, setOutcome] = useState<{ app: string; result: McpImportResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.invoke('tools.importSources', {}).then(
      ({ sources }) => setSources(sources),
      (err: unknown) => setError(`Could not look for other apps' MCP configs. ${describeError(err)}`),
    );
  }, [api, fileVersion]);

  // The Add buttons wait disabled while one runs: a refusal leaves the keyboard on the one pressed.
  const keepFocus = useFocusKeptWhile(busy !== null);
  // Its button goes once the servers are in mcp.json: the keyboard goes on to what was done, not to the page.
  // After the focus kept while busy is given back (declared above, so run first), in the render that shows it.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const importFrom = async (source: ImportSource) => {
    keepFocus();
    setBusy(source.id);
    try {
      setOutcome({ app: source.app, result: await api.invoke('tools.importServers', { source: source.id }) });
      onImported();
    } catch (err) {
      setError(`Could not add the servers from ${source.app}. ${describeError(err)}`);
    } finally {
      setBusy(null);
    }
  };

  if (sources.length === 0 && !error) return null;
  return (
    <section aria-label="Servers from other apps" className="import-servers">
      <h3>Servers from other apps</h3>
      {error && (
        <p className="trace-error" role="alert">
          {error}
        </p>
      )}
      <ul>
        {sources.map((source) => (
          <li key={source.id} data-testid={`import-${source.id}`}>
            <strong>{source.app}</strong> <span className="muted">{source.file}</span>
            <p>
              {source.servers.length > 0 ? source.servers.join(', ') : 'Its servers are all in mcp.json already.'}
              {source.alreadyAdded.length > 0 && source.servers.length > 0 && <span className="muted"> (already here: {source.alreadyAdded.join(', ')})</span>}
            </p>
            {source.servers.length > 0 && (
              <button type="button" onClick={() => void importFrom(source)} disabled={busy !== null}>
                {busy === source.id ? 'Adding…' : `Add ${source.servers.length === 1 ? 'this server' : `these ${source.servers.length} servers`}`}
              </button>
            )}
          </li>
        ))}
      </ul>
      {outcome && (
        <div role="status" ref={outcomeRef} tabIndex={-1}>
          <p>
            {outcome.result.added.length > 0 ? `Added from ${outcome.app}, now starting: ${outcome.result.added.join(', ')}.` : `Nothing was added from ${outcome.app}.`}
            {outcome.result.movedToKeychain.length > 0 && ` Credentials moved to the OS keychain: ${outcome.result.movedToKeychain.join(', ')}.`}
          </p>
          {outcome.result.skipped.map((why) => (
            <p key={why} className="muted">
              Left out: {why}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}
