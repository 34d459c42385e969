import { useEffect, useId, useState } from 'react';
import type { RequestOutput } from '../../../shared/api/contract';
import { useApi } from '../../lib/api/ApiProvider';
import { findIpcBridge } from '../../lib/api/ipc-transport';
import { describeError } from '../../lib/errors';

type Status = RequestOutput<'localApi.get'>;

/** The desktop app's local API on 127.0.0.1: off until the person turns it on. */
export function LocalApiSection() {
  const api = useApi();
  const [status, setStatus] = useState<Status | null>(null);
  const [port, setPort] = useState('47800');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  // A page `portcullis serve` sent (no Electron bridge): its API and /mcp are on already, at this very address, and
  // the setting below only tells the desktop app what to do; "Off" alone read as if scripts could not get in.
  const served = findIpcBridge() ? null : window.location.origin;

  useEffect(() => {
    api.invoke('localApi.get', {}).then(
      (s) => {
        setStatus(s);
        setPort(String(s.port));
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [api]);

  const apply = async (enabled: boolean) => {
    setError(null);
    // Said here in words: the host would refuse it as an invalid input.
    const number = Number(port.trim());
    if (!Number.isInteger(number) || number < 1024 || number > 65_535) return setError('The port is a whole number from 1024 to 65535.');
    try {
      setStatus(await api.invoke('localApi.set', { enabled, port: number }));
      // The host starts or stops the server right after saving; ask again for how that went.
      setTimeout(() => void api.invoke('localApi.get', {}).then(setStatus, () => undefined), 300);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Local API (desktop app)</h3>
      <p className="muted">Lets scripts on this computer use Portcullis over HTTP and WebSocket on 127.0.0.1, and MCP clients (Cursor, VS Code, Claude Code…) use its tools, governed, at /mcp, with an API key or a JWT.</p>
      {served && (
        <p data-testid="served-api">
          This page comes from <code>portcullis serve</code>, whose local API is on already, at this page's address:{' '}
          <code>{served}/api</code>, and MCP clients at <code>{served}/mcp</code>. The setting below is the desktop app's.
        </p>
      )}
      <label className="inline">
        <input type="checkbox" checked={status?.enabled ?? false} disabled={!status} onChange={(e) => void apply(e.target.checked)} />
        Enable the local API
      </label>
      <label htmlFor={`${id}-port`}>Port</label>
      <input id={`${id}-port`} type="text" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} onBlur={() => status?.enabled && void apply(true)} />
      <p role="status" className="muted">{status?.running
          ? `Listening on ${status.url}; MCP clients: ${status.url?.replace(/\/api$/, '/mcp')}`
          : status?.enabled
            ? served
              ? 'On in the desktop app: it listens on this port while the app runs.'
              : 'Starting…'
            : served
              ? 'Off in the desktop app.'
              : 'Off'}</p>
      {status?.problem && <p className="error-text" role="alert">{status.problem}</p>}
      {error && <p className="error-text" role="alert">{error}</p>}
    </section>
  );
}
