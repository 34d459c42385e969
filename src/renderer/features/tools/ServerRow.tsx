import type { McpServerStatusInfo } from '../../../shared/domain/tool-catalog';

const STATE_WORDS: Record<McpServerStatusInfo['state'], string> = {
  starting: 'Starting…',
  connected: 'Connected',
  failed: 'Failed',
  stopped: 'Stopped',
  disabled: 'Disabled',
};

export type ServerAction = 'restart' | 'enable' | 'disable' | 'signOut';

/** What each action does, as a sentence says it: "Could not turn off everything." */
export const ACTION_WORDS: Record<ServerAction, string> = { restart: 'restart', enable: 'turn on', disable: 'turn off', signOut: 'sign out of' };

/** One MCP server on the Tools & servers page: its state, what went wrong, its sandbox, and what can be done with it. */
export function ServerRow({ server, onControl }: { server: McpServerStatusInfo; onControl: (action: ServerAction) => void }) {
  const lastOutput = server.stderrTail && (
    <pre className="muted" aria-label={`Last output of ${server.name}`}>
      {server.stderrTail}
    </pre>
  );
  return (
    <li data-testid={`server-${server.name}`}>
      <strong>{server.name}</strong> · {STATE_WORDS[server.state]} · {server.toolCount} tools ·{' '}
      {server.sandboxed === null ? '' : server.sandboxed ? 'sandboxed · ' : 'not sandboxed: every tool asks · '}breaker {server.breaker}
      {server.error && <p className="trace-error">{server.error}</p>}
      {server.signInUrl && (
        <p>
          <a href={server.signInUrl} target="_blank" rel="noreferrer">
            Sign in to {server.name}
          </a>{' '}
          <span className="muted">in your browser; the server connects once you are back.</span>
        </p>
      )}
      {server.error
        ? lastOutput
        : lastOutput && (
            <details>
              <summary>Last output</summary>
              {lastOutput}
            </details>
          )}
      {server.toolPrefix !== server.name && (
        <p className="muted">
          Its tools are named <code>{server.toolPrefix}.*</code>, so that they cannot be mistaken for the tools already named{' '}
          <code>{server.name}.*</code>.
        </p>
      )}
      {server.sandboxNote && <p className="muted">{server.sandboxNote}</p>}
      <div className="server-actions">
        {server.enabled && (
          <button type="button" onClick={() => onControl('restart')} aria-label={`Restart ${server.name}`}>
            Restart
          </button>
        )}
        {server.signedIn && (
          <button type="button" onClick={() => onControl('signOut')} aria-label={`Sign out of ${server.name}`}>
            Sign out
          </button>
        )}
        <button type="button" onClick={() => onControl(server.enabled ? 'disable' : 'enable')} aria-label={`${server.enabled ? 'Turn off' : 'Turn on'} ${server.name}`}>
          {server.enabled ? 'Turn off' : 'Turn on'}
        </button>
      </div>
    </li>
  );
}
